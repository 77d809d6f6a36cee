import COpenSSL

/// AES-256-GCM (NIST SP 800-38D) authenticated encryption through OpenSSL's EVP interface, for
/// sealing small secrets such as private keys at rest. A sealed box is
/// `nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes)`; the nonce is random per seal, which is
/// safe for far more than the number of records one key will ever wrap (NIST SP 800-38D §8.3).
/// `authenticating` data is bound to the box without being stored in it: opening with other
/// data fails, so a box cannot be moved to another record.
public enum AESGCM {
    public static let keyLength = 32
    public static let nonceLength = 12
    public static let tagLength = 16

    /// A new random 256-bit key.
    public static func makeKey() -> [UInt8] { SecureRandom.bytes(keyLength) }

    public static func seal(_ plaintext: [UInt8], key: [UInt8], authenticating: [UInt8] = []) throws -> [UInt8] {
        guard key.count == keyLength else { throw CryptoError.invalidKey("AES-256-GCM needs a 32-byte key") }
        let nonce = SecureRandom.bytes(nonceLength)
        guard let context = EVP_CIPHER_CTX_new() else { throw OpenSSL.failure("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_IVLEN, Int32(nonceLength), nil) == 1,
              EVP_EncryptInit_ex(context, nil, nil, key, nonce) == 1 else { throw OpenSSL.failure("AES-GCM init") }
        var length: Int32 = 0
        if !authenticating.isEmpty {
            guard EVP_EncryptUpdate(context, nil, &length, authenticating, Int32(authenticating.count)) == 1 else {
                throw OpenSSL.failure("AES-GCM AAD")
            }
        }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 16)
        var total: Int32 = 0
        if !plaintext.isEmpty {
            guard EVP_EncryptUpdate(context, &ciphertext, &length, plaintext, Int32(plaintext.count)) == 1 else {
                throw OpenSSL.failure("AES-GCM encrypt")
            }
            total = length
        }
        let finished = ciphertext.withUnsafeMutableBufferPointer { buffer in
            EVP_EncryptFinal_ex(context, buffer.baseAddress! + Int(total), &length)
        }
        guard finished == 1 else { throw OpenSSL.failure("AES-GCM final") }
        total += length
        var tag = [UInt8](repeating: 0, count: tagLength)
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(tagLength), &tag) == 1 else {
            throw OpenSSL.failure("AES-GCM tag")
        }
        return nonce + ciphertext.prefix(Int(total)) + tag
    }

    /// The plaintext, or ``CryptoError/invalidSignature`` when the box was changed, the key is
    /// another, or `authenticating` differs.
    public static func open(_ box: [UInt8], key: [UInt8], authenticating: [UInt8] = []) throws -> [UInt8] {
        guard key.count == keyLength else { throw CryptoError.invalidKey("AES-256-GCM needs a 32-byte key") }
        guard box.count >= nonceLength + tagLength else { throw CryptoError.invalidSignature("sealed box too short") }
        let nonce = Array(box.prefix(nonceLength))
        var tag = Array(box.suffix(tagLength))
        let ciphertext = Array(box.dropFirst(nonceLength).dropLast(tagLength))
        guard let context = EVP_CIPHER_CTX_new() else { throw OpenSSL.failure("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_IVLEN, Int32(nonceLength), nil) == 1,
              EVP_DecryptInit_ex(context, nil, nil, key, nonce) == 1 else { throw OpenSSL.failure("AES-GCM init") }
        var length: Int32 = 0
        if !authenticating.isEmpty {
            guard EVP_DecryptUpdate(context, nil, &length, authenticating, Int32(authenticating.count)) == 1 else {
                throw OpenSSL.failure("AES-GCM AAD")
            }
        }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var total: Int32 = 0
        if !ciphertext.isEmpty {
            guard EVP_DecryptUpdate(context, &plaintext, &length, ciphertext, Int32(ciphertext.count)) == 1 else {
                throw OpenSSL.failure("AES-GCM decrypt")
            }
            total = length
        }
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(tagLength), &tag) == 1 else {
            throw OpenSSL.failure("AES-GCM tag")
        }
        let verified = plaintext.withUnsafeMutableBufferPointer { buffer in
            EVP_DecryptFinal_ex(context, buffer.baseAddress! + Int(total), &length)
        }
        _ = OpenSSL.drainErrors()
        guard verified == 1 else { throw CryptoError.invalidSignature("AES-GCM authentication failed") }
        total += length
        return Array(plaintext.prefix(Int(total)))
    }
}
