import COpenSSL

/// Bytes from OpenSSL's CSPRNG, which is seeded from the operating system.
public enum SecureRandom {
    /// - Note: Traps if the CSPRNG fails. Continuing with weak randomness would silently produce
    ///   guessable secrets and keys, which is worse than stopping.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "negative byte count")
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        guard RAND_bytes(&out, Int32(count)) == 1 else {
            fatalError("RAND_bytes failed: \(OpenSSL.drainErrors())")
        }
        return out
    }
}
