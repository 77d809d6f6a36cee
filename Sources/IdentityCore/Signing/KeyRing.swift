import Cryptography
import Foundation
import Logging
import Synchronization

/// The issuer's signing keys, loaded from the store: the active one signs, every published one
/// verifies and appears in the JWKS.
///
/// Several issuer instances (and the admin CLI) share one store, so the ring reloads from it at
/// most every `reloadInterval` and whenever asked; rotation is a compare-and-swap in the store
/// (``SigningKeyStore/rotateSigningKey(expectedActiveKeyID:newKey:retiredRemoveAfter:)``), so two
/// instances rotating at once produce exactly one new key.
public actor KeyRing {
    private let store: any SigningKeyStore
    private let clock: any IdentityClock
    private let algorithm: JWSAlgorithm
    private let retiredKeyRetention: TimeInterval
    private let reloadInterval: TimeInterval
    private let logger: Logger
    /// Seals new keys and opens stored ones (nil: PEM in the store).
    private let encryption: KeyEncryption?
    private let metrics: IssuerMetrics

    private var loaded: [String: LoadedSigningKey] = [:]
    private var activeKeyID: String?
    private var lastReload: Date = .distantPast
    private var reloading: Task<Void, any Error>?
    /// The active key and until when it may be used without asking the actor: every token
    /// request needs it, and a read of a fresh ring must not hop onto the actor.
    private let activeKeyCache = Mutex<(key: LoadedSigningKey, freshUntil: Date)?>(nil)

    /// - Parameters:
    ///   - algorithm: the algorithm of newly generated keys (RS256 by default, as Entra).
    ///   - retiredKeyRetention: how long a retired key stays in the JWKS; must exceed the longest
    ///     token lifetime so every token it signed keeps verifying.
    ///   - reloadInterval: how stale the in-memory ring may get before it re-reads the store. One
    ///     second by default, so a key rotated by another instance is in every instance's JWKS
    ///     within a second (replicas must agree on the JWKS quickly).
    public init(store: any SigningKeyStore, clock: any IdentityClock = SystemClock(), algorithm: JWSAlgorithm = .rs256,
                retiredKeyRetention: TimeInterval = 24 * 3600, reloadInterval: TimeInterval = 1,
                encryption: KeyEncryption? = nil, metrics: IssuerMetrics = .disabled, logger: Logger = Logger(label: "kubeid.keys")) {
        self.encryption = encryption
        self.metrics = metrics
        self.store = store
        self.clock = clock
        self.algorithm = algorithm
        self.retiredKeyRetention = retiredKeyRetention
        self.reloadInterval = reloadInterval
        self.logger = logger
    }

    /// Loads the keys and creates the first one if the store has no active key.
    public func start() async throws {
        try await reload()
        if activeKeyID == nil {
            _ = try await rotate(expecting: nil)
        }
    }

    /// The key that signs new tokens.
    public nonisolated func activeKey() async throws -> LoadedSigningKey {
        let now = clock.now()
        if let cached = activeKeyCache.withLock({ $0 }), now < cached.freshUntil { return cached.key }
        return try await currentActiveKey()
    }

    private func currentActiveKey() async throws -> LoadedSigningKey {
        try await reloadIfStale()
        if let activeKeyID, let key = loaded[activeKeyID] { return key }
        try await start()
        guard let activeKeyID, let key = loaded[activeKeyID] else {
            throw StoreError.invalidData("no active signing key after start")
        }
        return key
    }

    /// Every key that belongs in the JWKS now, oldest first.
    public func publishedKeys() async throws -> [LoadedSigningKey] {
        try await reloadIfStale()
        let now = clock.now()
        return loaded.values
            .filter { $0.record.isPublished(at: now) }
            .sorted { $0.record.createdAt < $1.record.createdAt }
    }

    /// Verification keys by `kid` for tokens this issuer signed.
    public func verificationKeys() async throws -> [String: VerificationKey] {
        var keys: [String: VerificationKey] = [:]
        for key in try await publishedKeys() { keys[key.record.keyID] = key.verificationKey }
        return keys
    }

    /// Publishes and activates a new key; the previous one stays published for
    /// `retiredKeyRetention`. Returns the new key's record.
    @discardableResult
    public func rotate() async throws -> SigningKeyRecord {
        try await reload()
        return try await rotate(expecting: activeKeyID)
    }

    /// Re-reads the store now.
    public func reload() async throws {
        let now = clock.now()
        var next: [String: LoadedSigningKey] = [:]
        var active: String?
        for record in try await store.signingKeys() where record.isPublished(at: now) {
            if let existing = loaded[record.keyID], existing.record == record {
                next[record.keyID] = existing
            } else if let existing = loaded[record.keyID], existing.record.certificatePEM == record.certificatePEM,
                      existing.record.algorithm == record.algorithm {
                next[record.keyID] = existing.updated(to: record)
            } else {
                next[record.keyID] = try LoadedSigningKey(record: record, encryption: encryption)
            }
            if record.activatedAt != nil, record.retiredAt == nil { active = record.keyID }
        }
        loaded = next
        activeKeyID = active
        lastReload = now
        let activeKey = active.flatMap { next[$0] }
        activeKeyCache.withLock { $0 = activeKey.map { ($0, now.addingTimeInterval(reloadInterval)) } }
        metrics.signingKeys(published: next.count, activeCreatedAt: activeKey?.record.createdAt)
    }

    /// Reloads when the ring is older than `reloadInterval`. One reload runs at a time: callers
    /// arriving while it reads the store wait for it rather than each starting another read
    /// (under load that was a herd of store reads every second), and then see what it loaded.
    private func reloadIfStale() async throws {
        if let reloading { return try await reloading.value }
        guard clock.now().timeIntervalSince(lastReload) >= reloadInterval else { return }
        let reload = Task { try await self.reload() }
        reloading = reload
        defer { reloading = nil }
        try await reload.value
    }

    private func rotate(expecting expected: String?) async throws -> SigningKeyRecord {
        let now = clock.now()
        let record = try SigningKeyFactory.make(algorithm: algorithm, now: now, encryption: encryption)
        do {
            try await store.rotateSigningKey(expectedActiveKeyID: expected, newKey: record,
                                             retiredRemoveAfter: now.addingTimeInterval(retiredKeyRetention))
            logger.info("signing key rotated", metadata: ["kid": "\(record.keyID)", "alg": "\(record.algorithm)"])
        } catch let error as StoreError where error.code == .conflict {
            // Another instance rotated at the same moment: theirs is the one new key.
            logger.info("signing key already rotated by another instance")
        }
        try await reload()
        return loaded[activeKeyID ?? ""]?.record ?? record
    }
}
