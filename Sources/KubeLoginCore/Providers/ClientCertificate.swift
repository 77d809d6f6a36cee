import Cryptography
import Foundation

/// A service principal's certificate credential: the RSA key and the certificate chain whose
/// leaf matches it, from a PEM file or (name ending exactly `.pfx`) a PKCS#12 bundle.
///
/// Read the way upstream's `clientcertcredential.go` does: PEM needs `CERTIFICATE` blocks and a
/// block typed exactly `PRIVATE KEY` (PKCS#8); only RSA keys are used.
struct ClientCertificate: Sendable {
    let key: PrivateKey
    /// Leaf first.
    let chain: [Certificate]

    static func load(path: String, password: String) throws -> ClientCertificate {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw KubeLoginError.credential("failed to read certificate: failed to read the certificate file (\(path)): \(Self.describe(error))")
        }
        if path.hasSuffix(".pfx") {
            do {
                let bundle = try PKCS12.parse(bytes, password: password.isEmpty ? nil : password)
                guard case .rsa = bundle.key.kind else { throw KubeLoginError.credential("failed to read certificate: pkcs8 contained non-RSA key. Expected RSA key") }
                return ClientCertificate(key: bundle.key, chain: [bundle.certificate] + bundle.chain)
            } catch let error as KubeLoginError {
                throw error
            } catch {
                throw KubeLoginError.credential("failed to read certificate: \(error)")
            }
        }
        let pem = String(decoding: bytes, as: UTF8.self)
        guard let keyBlock = Self.block(labelled: "PRIVATE KEY", in: pem) else {
            throw KubeLoginError.credential("failed to read certificate: failed to decode a pem block from private key")
        }
        let key: PrivateKey
        do {
            key = try PrivateKey(pem: keyBlock)
        } catch {
            throw KubeLoginError.credential("failed to read certificate: failed to parse private key as Pkcs#1 or Pkcs#8. (\(error))")
        }
        guard case .rsa = key.kind else { throw KubeLoginError.credential("failed to read certificate: pkcs8 contained non-RSA key. Expected RSA key") }
        let certificates = (try? Certificate.parseAll(pem: pem)) ?? []
        guard let leaf = certificates.first(where: { $0.publicKey == key.publicKey }) else {
            throw KubeLoginError.credential("failed to read certificate: unable to find a matching public certificate")
        }
        return ClientCertificate(key: key, chain: [leaf] + certificates.filter { $0 != leaf })
    }

    /// The first `-----BEGIN <label>-----` block exactly (so `RSA PRIVATE KEY` does not count).
    static func block(labelled label: String, in pem: String) -> String? {
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        guard let start = pem.range(of: begin), let stop = pem.range(of: end, range: start.upperBound..<pem.endIndex) else { return nil }
        return String(pem[start.lowerBound..<stop.upperBound]) + "\n"
    }

    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "open: no such file or directory" }
        return nsError.localizedDescription
    }
}
