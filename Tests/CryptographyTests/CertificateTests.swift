import Cryptography
import Foundation
import Testing

@Suite("Certificates and PKCS#12")
struct CertificateTests {
    @Test(arguments: [TestKeys.rsa, TestKeys.p256])
    func caAndServerCertificate(caKey: PrivateKey) throws {
        let ca = try Certificate.selfSigned(commonName: "kubeid local CA", key: caKey, validFor: 86_400 * 365, isCertificateAuthority: true)
        #expect(ca.isCertificateAuthority)
        #expect(ca.isIssued(by: ca))
        #expect(ca.subjectCommonName == "kubeid local CA")
        #expect(ca.serialNumberHex.count == 32)
        #expect(ca.notBefore < Date().addingTimeInterval(-290))
        #expect(abs(ca.notAfter.timeIntervalSinceNow - 86_400 * 365) < 60)

        let server = try Certificate.issue(commonName: "127.0.0.1", publicKey: TestKeys.p256.publicKey, issuer: ca, issuerKey: caKey,
                                           validFor: 86_400, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"], usages: [.serverAuth])
        #expect(!server.isCertificateAuthority)
        #expect(server.isIssued(by: ca))
        #expect(!ca.isIssued(by: server))
        #expect(server.publicKey == TestKeys.p256.publicKey)
        #expect(try Certificate(pem: server.pem) == server)
        #expect(try Certificate(der: server.der) == server)
        #expect(try Certificate.parseAll(pem: server.pem + ca.pem) == [server, ca])

        // The CLI's strict chain check, including the SAN IP (what curl and Go will also demand).
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try ca.pem.write(to: directory.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        try server.pem.write(to: directory.appendingPathComponent("server.pem"), atomically: true, encoding: .utf8)
        try openssl(["verify", "-x509_strict", "-purpose", "sslserver", "-verify_ip", "127.0.0.1", "-CAfile", "ca.pem", "server.pem"], in: directory)
        try openssl(["verify", "-x509_strict", "-verify_hostname", "localhost", "-CAfile", "ca.pem", "server.pem"], in: directory)
        let text = String(decoding: try openssl(["x509", "-noout", "-text", "-in", "server.pem"], in: directory), as: UTF8.self)
        #expect(text.contains("IP Address:127.0.0.1"))
        #expect(text.contains("CA:FALSE"))
        #expect(text.contains("X509v3 Authority Key Identifier"))
    }

    @Test func clientCertificateWithOrganization() throws {
        let caKey = TestKeys.rsa
        let ca = try Certificate.selfSigned(commonName: "ca", key: caKey, validFor: 3600, isCertificateAuthority: true)
        let client = try Certificate.issue(commonName: "admin", organizations: ["system:masters"], publicKey: TestKeys.p256.publicKey,
                                           issuer: ca, issuerKey: caKey, validFor: 3600, usages: [.clientAuth])
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try client.pem.write(to: directory.appendingPathComponent("c.pem"), atomically: true, encoding: .utf8)
        let subject = String(decoding: try openssl(["x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in", "c.pem"], in: directory), as: UTF8.self)
        #expect(subject.contains("CN=admin,O=system:masters"))
    }

    @Test func issuingRefusesMismatchedOrNonCAIssuers() throws {
        let leaf = try Certificate.selfSigned(commonName: "leaf", key: TestKeys.p256, validFor: 3600)
        #expect(!leaf.isCertificateAuthority)
        #expect(throws: CryptoError.invalidCertificate) {
            try Certificate.issue(commonName: "x", publicKey: TestKeys.rsa.publicKey, issuer: leaf, issuerKey: TestKeys.p256, validFor: 60)
        }
        let ca = try Certificate.selfSigned(commonName: "ca", key: TestKeys.p256, validFor: 3600, isCertificateAuthority: true)
        #expect(throws: CryptoError.invalidArgument) {
            try Certificate.issue(commonName: "x", publicKey: TestKeys.rsa.publicKey, issuer: ca, issuerKey: TestKeys.rsa, validFor: 60)
        }
        #expect(throws: CryptoError.invalidArgument) {
            try Certificate.issue(commonName: "x", publicKey: TestKeys.rsa.publicKey, issuer: ca, issuerKey: TestKeys.p256, validFor: 60,
                                  dnsNames: ["a.example,IP:10.0.0.1"])
        }
    }

    @Test func thumbprintsMatchTheOpenSSLCommandLine() throws {
        let certificate = try Certificate.selfSigned(commonName: "jwks", key: TestKeys.rsa, validFor: 3600)
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try certificate.pem.write(to: directory.appendingPathComponent("c.pem"), atomically: true, encoding: .utf8)
        func fingerprint(_ digest: String) throws -> String {
            let line = String(decoding: try openssl(["x509", "-noout", "-fingerprint", "-\(digest)", "-in", "c.pem"], in: directory), as: UTF8.self)
            return String(line.split(separator: "=", maxSplits: 1)[1]).replacingOccurrences(of: ":", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02X", $0) }.joined() }
        #expect(hex(certificate.sha1Thumbprint) == (try fingerprint("sha1")))
        #expect(hex(certificate.sha256Thumbprint) == (try fingerprint("sha256")))
        let serial = String(decoding: try openssl(["x509", "-noout", "-serial", "-in", "c.pem"], in: directory), as: UTF8.self)
        #expect(serial.trimmingCharacters(in: .whitespacesAndNewlines) == "serial=\(certificate.serialNumberHex)")
    }

    @Test func readsCertificateWrittenByTheCLI() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2",
                     "-subj", "/CN=cli-cert", "-addext", "basicConstraints=critical,CA:TRUE"], in: directory)
        let pem = try String(contentsOf: directory.appendingPathComponent("cert.pem"), encoding: .utf8)
        let certificate = try Certificate(pem: pem)
        #expect(certificate.subjectCommonName == "cli-cert")
        #expect(certificate.isCertificateAuthority)
        #expect(certificate.isIssued(by: certificate))
        let key = try PrivateKey(pem: try String(contentsOf: directory.appendingPathComponent("key.pem"), encoding: .utf8))
        #expect(key.publicKey == certificate.publicKey)
        #expect(abs(certificate.notAfter.timeIntervalSince(certificate.notBefore) - 2 * 86_400) < 2)
        #expect(throws: CryptoError.invalidCertificate) { try Certificate(pem: "no pem here") }
        #expect(throws: CryptoError.invalidCertificate) { try Certificate(der: certificate.der + [0]) }
    }

    @Test func parsesPKCS12FromTheCLI() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let caKey = TestKeys.rsa
        let ca = try Certificate.selfSigned(commonName: "ca", key: caKey, validFor: 3600, isCertificateAuthority: true)
        let leafKey = try PrivateKey.generateP256()
        let leaf = try Certificate.issue(commonName: "sp-cert", publicKey: leafKey.publicKey, issuer: ca, issuerKey: caKey, validFor: 3600,
                                         usages: [.clientAuth])
        try leafKey.pemPKCS8.write(to: directory.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)
        try leaf.pem.write(to: directory.appendingPathComponent("leaf.pem"), atomically: true, encoding: .utf8)
        try ca.pem.write(to: directory.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        try openssl(["pkcs12", "-export", "-inkey", "key.pem", "-in", "leaf.pem", "-certfile", "ca.pem", "-out", "bundle.pfx",
                     "-passout", "pass:s3cret"], in: directory)
        let data = Array(try Data(contentsOf: directory.appendingPathComponent("bundle.pfx")))
        let parsed = try PKCS12.parse(data, password: "s3cret")
        #expect(parsed.key.publicKey == leafKey.publicKey)
        #expect(parsed.certificate == leaf)
        #expect(parsed.chain == [ca])
        #expect(throws: CryptoError.invalidKey) { try PKCS12.parse(data, password: "wrong") }
        #expect(throws: CryptoError.invalidCertificate) { try PKCS12.parse([1, 2, 3], password: nil) }
    }
}
