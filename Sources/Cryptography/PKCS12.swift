import COpenSSL

/// PKCS#12 (`.pfx`/`.p12`) bundles, as used for certificate credentials.
///
/// Only what OpenSSL 3's default provider reads: files made by OpenSSL 3 or current Windows
/// (AES-256 + PBKDF2). Legacy RC2/3DES bundles need the legacy provider, which we do not load.
public enum PKCS12 {
    /// The private key, its certificate, and any further certificates in the bundle.
    /// - Throws: `.invalidCertificate` for an unreadable bundle, `.invalidKey` for a wrong password
    ///   or a key that does not match the certificate, `.unsupportedKey` for weak keys.
    public static func parse(_ data: [UInt8], password: String?) throws -> (key: PrivateKey, certificate: Certificate, chain: [Certificate]) {
        let p12: OpaquePointer? = data.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PKCS12(nil, &cursor, buffer.count)
        }
        guard let p12 else { throw CryptoError.invalidCertificate("not a PKCS#12 bundle: \(OpenSSL.drainErrors())") }
        defer { PKCS12_free(p12) }
        if PKCS12_mac_present(p12) == 1 {
            let ok: Bool
            if let password {
                ok = PKCS12_verify_mac(p12, password, Int32(password.utf8.count)) == 1
            } else {
                ok = PKCS12_verify_mac(p12, nil, 0) == 1 || PKCS12_verify_mac(p12, "", 0) == 1
            }
            guard ok else {
                ERR_clear_error()
                throw CryptoError.invalidKey("PKCS#12 MAC check failed (wrong password?)")
            }
        }
        var pkey: OpaquePointer? = nil
        var x509: OpaquePointer? = nil
        var extra: OpaquePointer? = nil
        guard PKCS12_parse(p12, password, &pkey, &x509, &extra) == 1 else {
            throw CryptoError.invalidCertificate("PKCS#12 could not be decrypted: \(OpenSSL.drainErrors())")
        }
        // Wrap at once so every path below frees them.
        let keyHandle = pkey.map { EVPKeyHandle(taking: $0) }
        let certificateHandle = x509.map { X509Handle(taking: $0) }
        var chain: [X509Handle] = []
        if let extra {
            for index in 0..<cossl_sk_X509_num(extra) {
                if let element = cossl_sk_X509_value(extra, index), X509_up_ref(element) == 1 {
                    chain.append(X509Handle(taking: element))
                }
            }
            cossl_sk_X509_pop_free(extra)
        }
        guard let keyHandle, let certificateHandle else {
            throw CryptoError.invalidCertificate("PKCS#12 bundle lacks a private key or its certificate")
        }
        guard X509_check_private_key(certificateHandle.pointer, keyHandle.pointer) == 1 else {
            ERR_clear_error()
            throw CryptoError.invalidKey("PKCS#12 private key does not match its certificate")
        }
        return (try PrivateKey(handle: keyHandle), try Certificate(handle: certificateHandle), try chain.map { try Certificate(handle: $0) })
    }
}
