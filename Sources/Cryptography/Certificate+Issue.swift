import COpenSSL
import Foundation

extension Certificate {
    /// A self-signed certificate for `key` (JWKS `x5c` the way Entra publishes it, and
    /// service-principal certificates from `--create-cert`). With `isCertificateAuthority` it is a
    /// root that can sign with ``issue(commonName:organizations:publicKey:issuer:issuerKey:validFor:isCertificateAuthority:dnsNames:ipAddresses:usages:)``.
    public static func selfSigned(commonName: String, key: PrivateKey, validFor: TimeInterval,
                                  isCertificateAuthority: Bool = false) throws -> Certificate {
        try build(commonName: commonName, organizations: [], publicKey: key.publicKey, issuer: nil, signingKey: key,
                  validFor: validFor, isCertificateAuthority: isCertificateAuthority, dnsNames: [], ipAddresses: [], usages: [])
    }

    /// A certificate for `publicKey` signed by `issuer` (which `issuerKey` must belong to): the local
    /// CA issuing the TLS certificate for 127.0.0.1/localhost, or client certificates with
    /// `organizations: ["system:masters"]`.
    public static func issue(commonName: String, organizations: [String] = [], publicKey: PublicKey, issuer: Certificate,
                             issuerKey: PrivateKey, validFor: TimeInterval, isCertificateAuthority: Bool = false,
                             dnsNames: [String] = [], ipAddresses: [String] = [], usages: Set<CertificateUsage> = []) throws -> Certificate {
        guard issuerKey.publicKey == issuer.publicKey else {
            throw CryptoError.invalidArgument("issuerKey does not belong to the issuer certificate")
        }
        guard issuer.isCertificateAuthority else {
            throw CryptoError.invalidCertificate("issuer is not a CA (basicConstraints CA:FALSE)")
        }
        return try build(commonName: commonName, organizations: organizations, publicKey: publicKey, issuer: issuer, signingKey: issuerKey,
                         validFor: validFor, isCertificateAuthority: isCertificateAuthority, dnsNames: dnsNames,
                         ipAddresses: ipAddresses, usages: usages)
    }

    /// Values go into OpenSSL's extension config syntax (`DNS:a,IP:b`), where a comma or colon in a
    /// name would smuggle in another entry; only plain host names and IP literals pass.
    private static func checkName(_ value: String, allowed: (UInt8) -> Bool, kind: String) throws {
        guard !value.isEmpty, value.utf8.count <= 253, value.utf8.allSatisfy(allowed) else {
            throw CryptoError.invalidArgument("invalid \(kind) \(value.prefix(64))")
        }
    }

    private static func build(commonName: String, organizations: [String], publicKey: PublicKey, issuer: Certificate?,
                              signingKey: PrivateKey, validFor: TimeInterval, isCertificateAuthority: Bool,
                              dnsNames: [String], ipAddresses: [String], usages: Set<CertificateUsage>) throws -> Certificate {
        guard validFor > 0, validFor < 100 * 365 * 86_400 else { throw CryptoError.invalidArgument("validity must be positive and under 100 years") }
        for name in dnsNames {
            try checkName(name, allowed: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "*")
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) },
                kind: "DNS name")
        }
        for address in ipAddresses {
            try checkName(address, allowed: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":")
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0 | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) },
                kind: "IP address")
        }

        guard let x509 = X509_new() else { throw OpenSSL.failure("X509_new") }
        let handle = X509Handle(taking: x509)
        guard X509_set_version(x509, 2) == 1 else { throw OpenSSL.failure("X509_set_version") }  // 2 means v3

        // 128 random bits, top bit clear so the INTEGER is positive, next bit set so it is never short.
        var serial = SecureRandom.bytes(16)
        serial[0] = serial[0] & 0x7F | 0x40
        guard let serialBN = BN_bin2bn(serial, Int32(serial.count), nil) else { throw OpenSSL.failure("BN_bin2bn") }
        defer { BN_free(serialBN) }
        guard BN_to_ASN1_INTEGER(serialBN, X509_get_serialNumber(x509)) != nil else { throw OpenSSL.failure("serial") }

        // Five minutes of backdating so clients with a slightly slow clock accept a fresh certificate.
        guard cossl_X509_set_notBefore_offset(x509, -300) == 1,
              cossl_X509_set_notAfter_offset(x509, Int(validFor)) == 1 else { throw OpenSSL.failure("validity") }

        guard let name = X509_NAME_new() else { throw OpenSSL.failure("X509_NAME_new") }
        defer { X509_NAME_free(name) }
        for organization in organizations {
            guard X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, organization, -1, -1, 0) == 1 else { throw OpenSSL.failure("subject O") }
        }
        guard X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, commonName, -1, -1, 0) == 1 else { throw OpenSSL.failure("subject CN") }
        guard X509_set_subject_name(x509, name) == 1 else { throw OpenSSL.failure("X509_set_subject_name") }
        let issuerName = issuer.map { X509_get_subject_name($0.handle.pointer) } ?? name
        guard X509_set_issuer_name(x509, issuerName) == 1 else { throw OpenSSL.failure("X509_set_issuer_name") }
        guard X509_set_pubkey(x509, publicKey.handle.pointer) == 1 else { throw OpenSSL.failure("X509_set_pubkey") }

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer?.handle.pointer ?? x509, x509, nil, nil, 0)
        func add(_ nid: Int32, _ value: String) throws {
            guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else { throw OpenSSL.failure("extension \(value)") }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(x509, ext, -1) == 1 else { throw OpenSSL.failure("X509_add_ext") }
        }
        if isCertificateAuthority {
            try add(NID_basic_constraints, "critical,CA:TRUE")
            try add(NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature")
        } else {
            try add(NID_basic_constraints, "critical,CA:FALSE")
            // keyEncipherment only makes sense for RSA (TLS 1.2 RSA key exchange); EC keys cannot encrypt.
            if case .rsa = publicKey.kind {
                try add(NID_key_usage, "critical,digitalSignature,keyEncipherment")
            } else {
                try add(NID_key_usage, "critical,digitalSignature")
            }
        }
        if !usages.isEmpty {
            let names = [CertificateUsage.serverAuth, .clientAuth].filter(usages.contains).map(\.configName)
            try add(NID_ext_key_usage, names.joined(separator: ","))
        }
        try add(NID_subject_key_identifier, "hash")
        // For a self-signed certificate the issuer is x509 itself, whose SKI was just added.
        try add(NID_authority_key_identifier, "keyid:always")
        let alternativeNames = dnsNames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" }
        if !alternativeNames.isEmpty {
            try add(NID_subject_alt_name, alternativeNames.joined(separator: ","))
        }

        guard X509_sign(x509, signingKey.handle.pointer, EVP_sha256()) > 0 else { throw OpenSSL.failure("X509_sign") }
        return try Certificate(handle: handle)
    }
}
