import Cryptography
import Foundation
import Logging
import Synchronization

/// The issuer's signing keys, loaded from the store: the active one signs, every published one
/// verifies and appears in the JWKS.
///
/// Several issuer instances (and the admin CLI) share one store, so the ring reloads from it at
/// most every `reloadInterval` and whenever asked; rotation is a compare-and-swap in the store
/// (``SigningKeyStore/rotateSigningKey(expectedLatestKeyID:newKey:retiredRemoveAfter:)``), so two
/// instances rotating at once produce exactly one new key.
///
/// Which key signs is a matter of time, not of the last write: a pre-published key carries the
/// instant it takes over (``KeyRotationPolicy``), and every instance switches at that instant
/// without another store write.
public actor KeyRing {
    private let store: any SigningKeyStore
    private let clock: any IdentityClock
    private let algorithm: JWSAlgorithm
    private let retiredKeyRetention: TimeInterval
    /// Automatic rotation; nil rotates only when asked (``rotate()``).
    public let rotation: KeyRotationPolicy?
    private let reloadInterval: TimeInterval
    private let logger: Logger
    /// Seals new keys and opens stored ones (nil: PEM in the store).
    private let encryption: KeyEncryption?
    private let metrics: IssuerMetrics

    private var loaded: [String: LoadedSigningKey] = [:]
    /// The newest key with an activation time (signing now, or pre-published to sign later):
    /// what the next rotation's compare-and-swap expects.
    private var latestKeyID: String?
    private var lastReload: Date = .distantPast
    private var reloading: Task<Void, any Error>?
    /// The active key and until when it may be used without asking the actor: every token
    /// request needs it, and a read of a fresh ring must not hop onto the actor.
    private let activeKeyCache = Mutex<(key: LoadedSigningKey, freshUntil: Date)?>(nil)

    /// - Parameters:
    ///   - algorithm: the algorithm of newly generated keys (RS256 by default, as Entra).
    ///   - retiredKeyRetention: how long a retired key stays in the JWKS; must exceed the longest
    ///     token lifetime so every token it signed keeps verifying.
    ///   - rotation: when keys rotate on their own (``rotateIfDue()``); nil: only when asked.
    ///   - reloadInterval: how stale the in-memory ring may get before it re-reads the store. One
    ///     second by default, so a key rotated by another instance is in every instance's JWKS
    ///     within a second (replicas must agree on the JWKS quickly).
    public init(store: any SigningKeyStore, clock: any IdentityClock = SystemClock(), algorithm: JWSAlgorithm = .rs256,
                retiredKeyRetention: TimeInterval = 24 * 3600, rotation: KeyRotationPolicy? = nil,
                reloadInterval: TimeInterval = 1, encryption: KeyEncryption? = nil, metrics: IssuerMetrics = .disabled,
                logger: Logger = Logger(label: "kubeid.keys")) {
        self.rotation = rotation
        self.encryption = encryption
        self.metrics = metrics
        self.store = store
        self.clock = clock
        self.algorithm = algorithm
        self.retiredKeyRetention = retiredKeyRetention
        self.reloadInterval = reloadInterval
        self.logger = logger
    }

    /// Loads the keys and creates one that signs at once if no key signs now (a fresh store).
    public func start() async throws {
        try await reload()
        if activeKey(at: clock.now()) == nil {
            _ = try await rotate(expecting: latestKeyID, activatingAt: clock.now())
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
        if let key = activeKey(at: clock.now()) { return key }
        try await start()
        guard let key = activeKey(at: clock.now()) else {
            throw StoreError.invalidData("no active signing key after start")
        }
        return key
    }

    private func activeKey(at now: Date) -> LoadedSigningKey? {
        loaded.values.first { $0.record.isActive(at: now) }
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

    /// Publishes a new key that signs from now on (an emergency rotation: verifiers that cached
    /// the JWKS meet an unknown `kid` and must refetch it); the previous one stays published for
    /// `retiredKeyRetention`. Returns the new key's record.
    @discardableResult
    public func rotate() async throws -> SigningKeyRecord {
        try await reload()
        return try await rotate(expecting: latestKeyID, activatingAt: clock.now())
    }

    /// Publishes a new key now that starts signing `prepublication` later (the active key signs
    /// until then); with no key signing yet (a fresh store) it signs at once, as there is no
    /// verifier cache to wait for. Returns the new key's record.
    @discardableResult
    public func prepublish(for prepublication: TimeInterval) async throws -> SigningKeyRecord {
        try await reload()
        let now = clock.now()
        let activation = activeKey(at: now) == nil ? now : now.addingTimeInterval(prepublication)
        return try await rotate(expecting: latestKeyID, activatingAt: activation)
    }

    /// What ``KeyRotationScheduler`` calls: pre-publishes the next key when the latest one has
    /// signed for the policy's interval less its pre-publication. Every instance may call it at
    /// once; the store's compare-and-swap lets one of them publish. Returns the key published by
    /// this call or nil (not due, no policy, or another instance was first).
    @discardableResult
    public func rotateIfDue() async throws -> SigningKeyRecord? {
        guard let rotation else { return nil }
        try await reload()
        let now = clock.now()
        guard let latestKeyID, let latest = loaded[latestKeyID]?.record, let activatedAt = latest.activatedAt else {
            try await start()
            return nil
        }
        guard now >= rotation.publicationDue(afterActivationAt: activatedAt) else { return nil }
        let outcome = try await publish(expecting: latestKeyID, activatingAt: now.addingTimeInterval(rotation.prepublication))
        return outcome.publishedHere ? outcome.latest : nil
    }

    /// When the next key takes over: the pre-published key's activation, or when the policy will
    /// publish the next one plus its pre-publication; nil without a policy or a key.
    public func nextRotation() async throws -> Date? {
        try await reloadIfStale()
        return nextRotation(latest: latestKeyID.flatMap { loaded[$0]?.record }, now: clock.now())
    }

    private func nextRotation(latest: SigningKeyRecord?, now: Date) -> Date? {
        guard let latest, let activatedAt = latest.activatedAt else { return nil }
        if activatedAt > now { return activatedAt }
        return rotation.map { activatedAt.addingTimeInterval($0.interval) }
    }

    /// Re-reads the store now.
    public func reload() async throws {
        let now = clock.now()
        var next: [String: LoadedSigningKey] = [:]
        var latest: String?
        for record in try await store.signingKeys() where record.isPublished(at: now) {
            if let existing = loaded[record.keyID], existing.record == record {
                next[record.keyID] = existing
            } else if let existing = loaded[record.keyID], existing.record.certificatePEM == record.certificatePEM,
                      existing.record.algorithm == record.algorithm {
                next[record.keyID] = existing.updated(to: record)
            } else {
                next[record.keyID] = try LoadedSigningKey(record: record, encryption: encryption)
            }
            if record.activatedAt != nil, record.retiredAt == nil { latest = record.keyID }
        }
        loaded = next
        latestKeyID = latest
        lastReload = now
        let active = activeKey(at: now)
        // The cached key must not outlive its retirement: at that instant its successor signs.
        let freshUntil = min(now.addingTimeInterval(reloadInterval), active?.record.retiredAt ?? .distantFuture)
        activeKeyCache.withLock { $0 = active.map { ($0, freshUntil) } }
        metrics.signingKeys(published: next.count, activeCreatedAt: active?.record.createdAt,
                            nextRotation: nextRotation(latest: latest.flatMap { next[$0]?.record }, now: now))
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

    /// ``publish(expecting:activatingAt:)``'s latest key.
    private func rotate(expecting expected: String?, activatingAt activation: Date) async throws -> SigningKeyRecord {
        try await publish(expecting: expected, activatingAt: activation).latest
    }

    /// Publishes a new key now that signs from `activation`; the keys signing until then retire
    /// at `activation` and stay published `retiredKeyRetention` after it. Returns the latest key
    /// afterwards (this one, or the one another instance published first) and whether this call
    /// published it.
    private func publish(expecting expected: String?,
                         activatingAt activation: Date) async throws -> (latest: SigningKeyRecord, publishedHere: Bool) {
        let now = clock.now()
        var record = try SigningKeyFactory.make(algorithm: algorithm, now: now, encryption: encryption)
        record.activatedAt = activation
        var publishedHere = true
        do {
            try await store.rotateSigningKey(expectedLatestKeyID: expected, newKey: record,
                                             retiredRemoveAfter: activation.addingTimeInterval(retiredKeyRetention))
            logger.info(activation > now ? "signing key pre-published" : "signing key rotated",
                        metadata: ["kid": "\(record.keyID)", "alg": "\(record.algorithm)", "signsFrom": "\(activation)"])
        } catch let error as StoreError where error.code == .conflict {
            // Another instance rotated at the same moment: theirs is the one new key.
            logger.info("signing key already rotated by another instance")
            publishedHere = false
        }
        try await reload()
        return (latestKeyID.flatMap { loaded[$0]?.record } ?? record, publishedHere)
    }
}
