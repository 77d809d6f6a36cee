import COpenSSL
import Foundation

/// An X.509 certificate, parsed once. Equality and hashing use the DER encoding.
///
/// Only certificates whose key kubeid supports (RSA ≥ 2048, EC P-256) can be represented, because
/// ``publicKey`` is always available; others throw `.unsupportedKey`.
public struct Certificate: Sendable, Hashable {
    let handle: X509Handle
    public let der: [UInt8]
    public let publicKey: PublicKey

    init(handle: X509Handle) throws {
        self.handle = handle
        let length = i2d_X509(handle.pointer, nil)
        guard length > 0 else { throw OpenSSL.failure("i2d_X509") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_X509(handle.pointer, &cursor)
        }
        guard written == length else { throw OpenSSL.failure("i2d_X509") }
        self.der = der
        // get0: borrowed from the X509; PublicKey copies it out through DER.
        guard let key = X509_get0_pubkey(handle.pointer) else { throw CryptoError.invalidCertificate("certificate has no usable public key: \(OpenSSL.drainErrors())") }
        self.publicKey = try PublicKey(derFrom: key)
    }

    /// Parses one DER certificate; trailing bytes are an error.
    public init(der: [UInt8]) throws {
        var consumed = 0
        let x509: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            let parsed = d2i_X509(nil, &cursor, buffer.count)
            if let cursor, let base = buffer.baseAddress { consumed = cursor - base }
            return parsed
        }
        guard let x509 else { throw CryptoError.invalidCertificate("not a DER certificate: \(OpenSSL.drainErrors())") }
        let handle = X509Handle(taking: x509)
        guard consumed == der.count else { throw CryptoError.invalidCertificate("trailing data after certificate") }
        try self.init(handle: handle)
    }

    /// Parses the first `CERTIFICATE` block of `pem`.
    public init(pem: String) throws {
        guard let first = try Self.parseAll(pem: pem).first else { throw CryptoError.invalidCertificate("no CERTIFICATE block in PEM") }
        self = first
    }

    /// Every `CERTIFICATE` block in `pem`, in order (for example leaf then intermediates).
    public static func parseAll(pem: String) throws -> [Certificate] {
        guard let blocks = PEM.decodeAll(label: "CERTIFICATE", from: pem) else {
            throw CryptoError.invalidCertificate("malformed CERTIFICATE PEM block")
        }
        return try blocks.map { try Certificate(der: $0) }
    }

    public var pem: String { PEM.encode(label: "CERTIFICATE", der: der) }

    /// SHA-1 over the DER: what `x5t` (base64url) and Entra's certificate thumbprints use.
    public var sha1Thumbprint: [UInt8] { Digest.sha1(der) }
    public var sha256Thumbprint: [UInt8] { Digest.sha256(der) }

    public var subjectCommonName: String? {
        subjectEntries(NID_commonName).first
    }

    /// Every `O` of the subject, in order: Kubernetes reads them as the user's groups
    /// (`O=system:masters` on an admin client certificate).
    public var subjectOrganizations: [String] {
        subjectEntries(NID_organizationName)
    }

    private func subjectEntries(_ nid: Int32) -> [String] {
        guard let name = X509_get_subject_name(handle.pointer) else { return [] }
        var values: [String] = []
        var index = X509_NAME_get_index_by_NID(name, nid, -1)
        while index >= 0 {
            if let entry = X509_NAME_get_entry(name, index), let data = X509_NAME_ENTRY_get_data(entry) {
                var utf8: UnsafeMutablePointer<UInt8>? = nil
                let length = ASN1_STRING_to_UTF8(&utf8, data)
                if length >= 0, let utf8 {
                    values.append(String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self))
                    cossl_free(utf8)
                }
            }
            index = X509_NAME_get_index_by_NID(name, nid, index)
        }
        return values
    }

    /// Upper-case hex, as `openssl x509 -serial` prints it.
    public var serialNumberHex: String {
        guard let serial = X509_get0_serialNumber(handle.pointer), let bn = ASN1_INTEGER_to_BN(serial, nil) else { return "" }
        defer { BN_free(bn) }
        guard let hex = BN_bn2hex(bn) else { return "" }
        defer { cossl_free(hex) }
        return String(cString: hex)
    }

    public var notBefore: Date { Self.date(X509_get0_notBefore(handle.pointer)) }
    public var notAfter: Date { Self.date(X509_get0_notAfter(handle.pointer)) }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date {
        // ASN1_TIME_diff from the epoch avoids struct tm and the local time zone entirely.
        guard let epoch = ASN1_TIME_set(nil, 0) else { return Date(timeIntervalSince1970: 0) }
        defer { ASN1_STRING_free(epoch) }
        var days: Int32 = 0
        var seconds: Int32 = 0
        guard ASN1_TIME_diff(&days, &seconds, epoch, time) == 1 else { return Date(timeIntervalSince1970: 0) }
        return Date(timeIntervalSince1970: TimeInterval(days) * 86_400 + TimeInterval(seconds))
    }

    /// Whether basicConstraints says `CA:TRUE`.
    public var isCertificateAuthority: Bool {
        X509_get_extension_flags(handle.pointer) & UInt32(EXFLAG_CA) != 0
    }

    /// Whether `issuer` signed this certificate: issuer name matches and the signature verifies
    /// with the issuer's key. (Chain policy such as validity and key usage is the TLS stack's job.)
    public func isIssued(by issuer: Certificate) -> Bool {
        guard let ourIssuer = X509_get_issuer_name(handle.pointer), let theirSubject = X509_get_subject_name(issuer.handle.pointer),
              X509_NAME_cmp(ourIssuer, theirSubject) == 0 else { return false }
        let ok = X509_verify(handle.pointer, issuer.publicKey.handle.pointer) == 1
        if !ok { ERR_clear_error() }
        return ok
    }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { lhs.der == rhs.der }
    public func hash(into hasher: inout Hasher) { hasher.combine(der) }
}
