import Cryptography
import IdentityCore
import Synchronization

/// External issuers' keys held in memory, standing in for HTTPS discovery in domain tests
/// (the live interop tests use the real HTTPS fetcher). Counts look-ups so tests can assert
/// that rejected tokens caused none.
public final class StaticExternalIssuerKeys: ExternalIssuerKeySource {
    private let keys: Mutex<[String: [VerificationKey]]> = Mutex([:])
    private let lookups = Atomic<Int>(0)

    public init() {}

    public func publish(_ key: VerificationKey, issuer: String) {
        keys.withLock { $0[issuer, default: []].append(key) }
    }

    public var lookupCount: Int { lookups.load(ordering: .relaxed) }

    public func verificationKey(issuer: String, keyID: String?) async throws -> VerificationKey? {
        lookups.add(1, ordering: .relaxed)
        let known = keys.withLock { $0[issuer] ?? [] }
        if let keyID { return known.first { $0.keyID == keyID } }
        return known.count == 1 ? known.first : nil
    }
}
