import Cryptography
import Foundation
import Testing
@testable import KubeLoginCore

@Suite("spn certificates: PEM, PFX and the client assertion")
struct ClientCertificateTests {
    func makeCredential(in directory: String) throws -> (key: PrivateKey, certificate: Certificate, pemPath: String) {
        let key = try PrivateKey.generateRSA()
        let certificate = try Certificate.selfSigned(commonName: "sp", key: key, validFor: 3600)
        let path = directory + "/sp.pem"
        try (key.pemPKCS8 + certificate.pem).write(toFile: path, atomically: true, encoding: .utf8)
        return (key, certificate, path)
    }

    @Test("a PEM with PRIVATE KEY and CERTIFICATE; the assertion carries x5t and x5c and verifies")
    func pemAssertion() throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try makeCredential(in: directory)
        let credential = try ClientCertificate.load(path: made.pemPath, password: "")
        let assertion = try ClientAssertion.make(certificate: credential, clientID: "app", audience: "https://idp/t/oauth2/v2.0/token", now: Date())
        let verified = try JWTVerifier(engine: .openSSL).verify(assertion) { header in
            #expect(header.x5t == Base64URL.encode(made.certificate.sha1Thumbprint))
            #expect(header.x5c == [Base64.encode(made.certificate.der)])
            return VerificationKey(keyID: "k", algorithm: .rs256, publicKey: made.certificate.publicKey)
        }
        #expect(verified.claims.issuer == "app")
        #expect(verified.claims.subject == "app")
        #expect(verified.claims.audiences == ["https://idp/t/oauth2/v2.0/token"])
    }

    @Test("a .pfx bundle with a password")
    func pfx() throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try makeCredential(in: directory)
        try made.key.pemPKCS8.write(toFile: directory + "/key.pem", atomically: true, encoding: .utf8)
        try made.certificate.pem.write(toFile: directory + "/cert.pem", atomically: true, encoding: .utf8)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["pkcs12", "-export", "-inkey", directory + "/key.pem", "-in", directory + "/cert.pem",
                             "-out", directory + "/sp.pfx", "-passout", "pass:pfx-pass"]
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)
        let credential = try ClientCertificate.load(path: directory + "/sp.pfx", password: "pfx-pass")
        #expect(credential.chain.first == made.certificate)
        #expect(throws: KubeLoginError.self) { try ClientCertificate.load(path: directory + "/sp.pfx", password: "wrong") }
    }

    @Test("upstream's certificate errors")
    func errors() throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: KubeLoginError("failed to create azidentity credential: failed to read certificate: failed to read the certificate file (\(directory)/none.pem): open: no such file or directory")) {
            try ClientCertificate.load(path: directory + "/none.pem", password: "")
        }
        let made = try makeCredential(in: directory)
        try made.certificate.pem.write(toFile: directory + "/only-cert.pem", atomically: true, encoding: .utf8)
        #expect(throws: KubeLoginError("failed to create azidentity credential: failed to read certificate: failed to decode a pem block from private key")) {
            try ClientCertificate.load(path: directory + "/only-cert.pem", password: "")
        }
        let other = try Certificate.selfSigned(commonName: "other", key: try PrivateKey.generateRSA(), validFor: 3600)
        try (made.key.pemPKCS8 + other.pem).write(toFile: directory + "/mismatch.pem", atomically: true, encoding: .utf8)
        #expect(throws: KubeLoginError("failed to create azidentity credential: failed to read certificate: unable to find a matching public certificate")) {
            try ClientCertificate.load(path: directory + "/mismatch.pem", password: "")
        }
    }
}
