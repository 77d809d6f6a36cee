import Cryptography
import Foundation
import OAuthProtocol
import Synchronization

/// Timing of the device flow (RFC 8628): Entra's 15 minutes and 5 seconds by default.
public struct DeviceCodeSettings: Sendable {
    /// `expires_in` of new codes.
    public var lifetime: TimeInterval = 900
    /// The advertised polling `interval`.
    public var interval: Int = 5
    /// `slow_down` raises the interval by 5 s up to this.
    public var maximumInterval: Int = 60
    /// Network jitter forgiven before a poll counts as too early.
    public var jitter: TimeInterval = 1

    public init() {}
}

/// The result of one poll: normal outcomes are values, not thrown errors.
public enum DevicePollOutcome: Sendable, Equatable {
    case pending
    /// Too early: wait this many seconds from now on.
    case slowDown(interval: Int)
    case expired
    case declined
    /// The user approved; the authorization is now spent (state `redeemed`) and tokens must be issued.
    case approved(DeviceAuthorization)
    /// Tokens were already issued for this code.
    case alreadyRedeemed
    /// No such device code.
    case unknown
    /// The code belongs to another client.
    case wrongClient
}

/// The RFC 8628 state machine: pending → (slow_down) → approved/denied → redeemed, or expired.
/// Every transition is one atomic store update, so a poll and an approval on two issuer
/// instances never interleave.
public struct DeviceCodeFlow: Sendable {
    private let store: any DeviceAuthorizationStore
    private let clock: any IdentityClock
    public let settings: DeviceCodeSettings
    /// `<issuer-url>/devicelogin`.
    public let verificationURI: String
    private let metrics: IssuerMetrics

    public init(store: any DeviceAuthorizationStore, clock: any IdentityClock, settings: DeviceCodeSettings = .init(),
                verificationURI: String, metrics: IssuerMetrics = .disabled) {
        self.metrics = metrics
        self.store = store
        self.clock = clock
        self.settings = settings
        self.verificationURI = verificationURI
    }

    static func hash(deviceCode: String) -> [UInt8] { Digest.sha256(Array(deviceCode.utf8)) }

    /// Starts a flow: a 256-bit device code (only its hash is stored) and a fresh user code.
    public func start(tenantID: String, clientID: String, scope: String, resource: String, version: EndpointVersion,
                      address: String, correlationID: String?) async throws -> DeviceAuthorizationResponse {
        let now = clock.now()
        for _ in 0..<8 {
            let deviceCode = Base64URL.encode(SecureRandom.bytes(32))
            let userCode = UserCode.generate()
            let authorization = DeviceAuthorization(
                deviceCodeHash: Self.hash(deviceCode: deviceCode), userCode: userCode, tenantID: tenantID,
                clientID: clientID, scope: scope, resource: resource, endpointVersion: version.rawValue, createdAt: now,
                expiresAt: now.addingTimeInterval(settings.lifetime), interval: settings.interval,
                requestAddress: address, correlationID: correlationID)
            do {
                try await store.createDeviceAuthorization(authorization)
            } catch let error as StoreError where error.code == .alreadyExists {
                continue  // a live flow has this user code: draw another
            }
            metrics.deviceCode("issued")
            return DeviceAuthorizationResponse(deviceCode: deviceCode, userCode: UserCode.display(userCode),
                                               verificationURI: verificationURI, expiresIn: Int(settings.lifetime),
                                               interval: settings.interval)
        }
        throw StoreError.unavailable("could not allocate a unique user code")
    }

    private struct Decided: Error { let outcome: DevicePollOutcome }

    /// One poll by `clientID`.
    ///
    /// - An approved code is redeemed at the next poll, however fast it comes (MSAL Go polls
    ///   after 50 ms and ignores `interval`).
    /// - A poll sooner than `interval - jitter` after the previous one gets `slow_down` and the
    ///   interval grows by 5 s (capped), persisted; the first poll and any poll at the current
    ///   interval never do, so a client polling at the advertised interval is never pushed into
    ///   permanent `slow_down`.
    /// - v1 (ADAL) clients abort when told `slow_down` too often: they get it at most once.
    /// - Parameter tenantID: the tenant whose token URL was polled; a code of another tenant is
    ///   `.unknown` and left untouched (neither redeemed nor slowed down), so polling it through
    ///   another tenant's URL cannot burn it.
    public func poll(deviceCode: String, clientID: String, tenantID: String? = nil) async throws -> DevicePollOutcome {
        let now = clock.now()
        let settings = settings
        let hash = Self.hash(deviceCode: deviceCode)
        let decided = Mutex<DevicePollOutcome>(.unknown)
        do {
            let stored = try await store.updateDeviceAuthorization(deviceCodeHash: hash) { authorization in
                if let tenantID, authorization.tenantID != tenantID { throw Decided(outcome: .unknown) }
                guard ObjectID.canonical(authorization.clientID) == ObjectID.canonical(clientID)
                        || authorization.clientID == clientID else { throw Decided(outcome: .wrongClient) }
                switch authorization.state {
                case .redeemed: throw Decided(outcome: .alreadyRedeemed)
                case .denied: throw Decided(outcome: .declined)
                case .approved, .pending:
                    if now >= authorization.expiresAt { throw Decided(outcome: .expired) }
                }
                if authorization.state == .approved {
                    authorization.state = .redeemed
                    authorization.lastPolledAt = now
                    decided.withLock { $0 = .approved(authorization) }
                    return
                }
                var outcome = DevicePollOutcome.pending
                if let last = authorization.lastPolledAt,
                   now.timeIntervalSince(last) + settings.jitter < Double(authorization.interval) {
                    let v1 = authorization.endpointVersion == EndpointVersion.v1.rawValue
                    if !v1 || authorization.interval == settings.interval {
                        authorization.interval = min(authorization.interval + 5, settings.maximumInterval)
                        outcome = .slowDown(interval: authorization.interval)
                    }
                }
                authorization.lastPolledAt = now
                decided.withLock { $0 = outcome }
            }
            _ = stored
            return decided.withLock { $0 }
        } catch let decision as Decided {
            return decision.outcome
        } catch let error as StoreError where error.code == .notFound {
            return .unknown
        }
    }

    /// The live (pending, unexpired) authorization with this user code, as typed by a person.
    public func pendingAuthorization(userCode input: String) async throws -> DeviceAuthorization? {
        guard let code = UserCode.normalize(input),
              let authorization = try await store.deviceAuthorization(userCode: code),
              authorization.state == .pending, clock.now() < authorization.expiresAt else { return nil }
        return authorization
    }

    /// The user confirmed on the page. False when the code is no longer pending (expired, used).
    @discardableResult
    public func approve(userCode: String, user: User, methods: [String], authenticatedAt: Date) async throws -> Bool {
        let approved = try await decide(userCode: userCode) { authorization in
            authorization.state = .approved
            authorization.userObjectID = user.objectID
            authorization.authenticatedAt = authenticatedAt
            authorization.authenticationMethods = methods
        }
        if approved { metrics.deviceCode("approved") }
        return approved
    }

    /// The user clicked Cancel.
    @discardableResult
    public func decline(userCode: String, userObjectID: String?) async throws -> Bool {
        let declined = try await decide(userCode: userCode) { authorization in
            authorization.state = .denied
            authorization.userObjectID = userObjectID
        }
        if declined { metrics.deviceCode("denied") }
        return declined
    }

    private struct NotPending: Error {}

    private func decide(userCode: String, _ apply: @escaping @Sendable (inout DeviceAuthorization) -> Void) async throws -> Bool {
        guard let code = UserCode.normalize(userCode),
              let found = try await store.deviceAuthorization(userCode: code) else { return false }
        let now = clock.now()
        do {
            try await store.updateDeviceAuthorization(deviceCodeHash: found.deviceCodeHash) { authorization in
                guard authorization.state == .pending, now < authorization.expiresAt else { throw NotPending() }
                apply(&authorization)
            }
            return true
        } catch is NotPending {
            return false
        } catch let error as StoreError where error.code == .notFound {
            return false
        }
    }
}
