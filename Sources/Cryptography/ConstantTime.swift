import COpenSSL

/// Compares two byte strings in time that depends only on their lengths, not their contents,
/// so comparing a presented secret hash leaks nothing about where it differs.
///
/// Different lengths return `false`; the content is still run through `CRYPTO_memcmp` (against
/// itself) so the time does not reveal how far the caller's input matched.
public func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    if a.count != b.count {
        _ = a.withUnsafeBytes { CRYPTO_memcmp($0.baseAddress, $0.baseAddress, $0.count) }
        return false
    }
    if a.isEmpty { return true }
    return a.withUnsafeBytes { pa in
        b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, pa.count) == 0 }
    }
}
