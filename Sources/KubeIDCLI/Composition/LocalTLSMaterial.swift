import Cryptography
import Foundation
import IdentityCore

/// The TLS certificate `serve` uses when none is given: a local CA (created once, kept in the
/// data directory) and a server certificate it signs for 127.0.0.1, ::1, localhost and the
/// issuer URL's host. Clients trust the CA file (`--cacert`, `REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`).
struct LocalTLSMaterial {
    let directory: String
    var caCertificatePath: String { "\(directory)/ca.crt" }
    var caKeyPath: String { "\(directory)/ca.key" }
    var serverCertificatePath: String { "\(directory)/server.crt" }
    var serverKeyPath: String { "\(directory)/server.key" }

    static let caValidity: TimeInterval = 10 * 365 * 24 * 3600
    static let serverValidity: TimeInterval = 397 * 24 * 3600

    /// Creates what is missing; re-issues the server certificate when it is near expiry or lacks
    /// one of the needed names. Under a lock on a file in the directory: two processes creating
    /// the CA at once would leave one's certificate beside the other's key.
    func ensure(hosts: [String]) throws {
        try FileSystem.makeDirectory(directory)
        do {
            try CrossProcessLock.withExclusiveLock(on: "\(directory)/.lock") { try ensureLocked(hosts: hosts) }
        } catch let error as PrivateFile.Failure {
            throw CLIError("\(error)")
        }
    }

    private func ensureLocked(hosts: [String]) throws {
        let (caCertificate, caKey) = try loadOrCreateCA()
        let names = Set(["127.0.0.1", "::1", "localhost"] + hosts)
        if let existing = try? Certificate(pem: String(contentsOfFile: serverCertificatePath, encoding: .utf8)),
           FileManager.default.fileExists(atPath: serverKeyPath),
           existing.isIssued(by: caCertificate),
           existing.notAfter > Date().addingTimeInterval(7 * 24 * 3600),
           (try? String(contentsOfFile: "\(directory)/server.names", encoding: .utf8)) == names.sorted().joined(separator: ",") {
            return
        }
        let key = try PrivateKey.generateP256()
        let ipAddresses = names.filter { $0.contains(":") || $0.allSatisfy { $0.isNumber || $0 == "." } }
        let dnsNames = names.subtracting(ipAddresses)
        let certificate = try Certificate.issue(
            commonName: "kubeid", publicKey: key.publicKey, issuer: caCertificate, issuerKey: caKey,
            validFor: Self.serverValidity, dnsNames: dnsNames.sorted(), ipAddresses: ipAddresses.sorted(),
            usages: [.serverAuth])
        try FileSystem.writeSecretFile(serverKeyPath, contents: key.pemPKCS8)
        try FileSystem.writePublicFile(serverCertificatePath, contents: certificate.pem + caCertificate.pem)
        try FileSystem.writePublicFile("\(directory)/server.names", contents: names.sorted().joined(separator: ","))
    }

    private func loadOrCreateCA() throws -> (Certificate, PrivateKey) {
        if let certificatePEM = try? String(contentsOfFile: caCertificatePath, encoding: .utf8),
           let keyPEM = try? String(contentsOfFile: caKeyPath, encoding: .utf8) {
            return (try Certificate(pem: certificatePEM), try PrivateKey(pem: keyPEM))
        }
        let key = try PrivateKey.generateP256()
        let certificate = try Certificate.selfSigned(commonName: "kubeid local CA", key: key, validFor: Self.caValidity,
                                                     isCertificateAuthority: true)
        try FileSystem.writeSecretFile(caKeyPath, contents: key.pemPKCS8)
        try FileSystem.writePublicFile(caCertificatePath, contents: certificate.pem)
        return (certificate, key)
    }
}
