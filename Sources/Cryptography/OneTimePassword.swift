/// HOTP (RFC 4226) and its time-based form TOTP (RFC 6238) with HMAC-SHA-1, six digits and a
/// 30-second step: the parameters every authenticator app defaults to. The acceptance policy
/// (which steps are tried, replay) belongs to the caller.
public enum OneTimePassword {
    public static let digits = 6
    public static let period: Int64 = 30

    /// The RFC 4226 code for `counter`, zero-padded to `digits`.
    public static func hotp(secret: [UInt8], counter: Int64) -> String {
        var message = [UInt8](repeating: 0, count: 8)
        var value = UInt64(bitPattern: counter)
        for index in stride(from: 7, through: 0, by: -1) {
            message[index] = UInt8(truncatingIfNeeded: value)
            value >>= 8
        }
        let mac = Digest.hmacSHA1(key: secret, message: message)
        let offset = Int(mac[19] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let code = String(binary % modulus)
        return String(repeating: "0", count: digits - code.count) + code
    }

    /// The RFC 6238 time step of a Unix time.
    public static func step(unixTime: Int64) -> Int64 { unixTime >= 0 ? unixTime / period : (unixTime - period + 1) / period }

    /// The RFC 6238 code at a Unix time.
    public static func totp(secret: [UInt8], unixTime: Int64) -> String {
        hotp(secret: secret, counter: step(unixTime: unixTime))
    }

    /// Compares a presented code with the expected one without leaking where they differ.
    public static func matches(_ presented: String, _ expected: String) -> Bool {
        constantTimeEquals(Array(presented.utf8), Array(expected.utf8))
    }
}
