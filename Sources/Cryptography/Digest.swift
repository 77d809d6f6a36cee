import COpenSSL

/// One-shot hashes and HMAC through OpenSSL's EVP interface.
public enum Digest {
    public static func sha1(_ bytes: some Collection<UInt8>) -> [UInt8] { hash(bytes, EVP_sha1(), 20) }

    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] { hash(bytes, EVP_sha256(), 32) }

    /// HMAC-SHA-256 (RFC 2104). Used as the keyed hash for stored client secrets: unlike bcrypt
    /// it covers the whole secret (no 72-byte truncation as with bcrypt, ory/hydra#1438).
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count),
                     m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count, &out, &length)
            }
        }
        // HMAC only fails on allocation failure or a broken provider; there is no safe fallback.
        guard result != nil, length == 32 else { fatalError("HMAC-SHA256 failed: \(OpenSSL.drainErrors())") }
        return out
    }

    /// HMAC-SHA-1 (RFC 2104), only for HOTP/TOTP (RFC 4226 §5.2 fixes SHA-1; its use as a
    /// MAC is not affected by SHA-1's collision weakness).
    public static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        hmac(EVP_sha1(), 20, key: key, message: message)
    }

    private static func hmac(_ md: OpaquePointer?, _ size: Int, key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                HMAC(md, k.baseAddress, Int32(k.count), m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count, &out, &length)
            }
        }
        guard result != nil, Int(length) == size else { fatalError("HMAC failed: \(OpenSSL.drainErrors())") }
        return out
    }

    private static func hash(_ bytes: some Collection<UInt8>, _ md: OpaquePointer?, _ size: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        var length: UInt32 = 0
        let ok: Int32 = bytes.withContiguousStorageIfAvailable { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &out, &length, md, nil)
        } ?? Array(bytes).withUnsafeBufferPointer { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &out, &length, md, nil)
        }
        guard ok == 1, Int(length) == size else { fatalError("EVP_Digest failed: \(OpenSSL.drainErrors())") }
        return out
    }
}
