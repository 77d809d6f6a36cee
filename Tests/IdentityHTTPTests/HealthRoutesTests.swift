import Foundation
import Hummingbird
import HummingbirdTesting
import IdentityCore
@testable import IdentityHTTP
import IdentityStoreSQLite
import IdentityTesting
import Synchronization
import Testing

@Suite("Health and unknown routes")
struct HealthRoutesTests {
    @Test func healthzAndReadyzAre200WhenTheStoreAndAKeyAreThere() async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            for path in ["/healthz", "/readyz"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok)
                #expect(response.jsonObject as? [String: String] == ["status": "ok"])
            }
        }
    }

    @Test func anUnreachableStoreMakesTheInstanceUnreadyButAlive() async throws {
        let probe = try await HealthProbe.make()
        probe.store.unreachable = true
        try await probe.run { client in
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.jsonObject["status"] as? String == "unavailable")
            let checks = try #require(ready.jsonObject["checks"] as? [String: String])
            #expect(checks.keys.sorted() == ["store"])
            #expect(checks["store"]?.contains("the test cut the store") == true)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test func pendingMigrationsMakeTheInstanceUnready() async throws {
        let probe = try await HealthProbe.make()
        probe.store.pending = ["v9-settings"]
        try await probe.run { client in
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.jsonObject["checks"] as? [String: String] == ["schema": "migrations pending: v9-settings"])
        }
    }

    @Test func noLoadableSigningKeyMakesTheInstanceUnready() async throws {
        // The key ring's store refuses every read: no key is loaded and none can be created.
        let probe = try await HealthProbe.make(keysReachable: false)
        try await probe.run { client in
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            let checks = try #require(ready.jsonObject["checks"] as? [String: String])
            #expect(checks.keys.sorted() == ["signingKey"])
        }
    }

    @Test func unknownPathsAre404WithoutInternals() async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            let response = try await client.execute(uri: "/contoso/oauth2/v2.0/nothing", method: .get)
            #expect(response.status == .notFound)
            #expect(response.jsonObject["error"] as? String == "not_found")
        }
    }
}

/// The health routes alone, over a store the test can cut or age.
private struct HealthProbe {
    let store: ProbeStore
    let keyRing: KeyRing

    static func make(keysReachable: Bool = true) async throws -> HealthProbe {
        let base = try SQLiteIdentityStore.inMemory()
        let keyRing = KeyRing(store: keysReachable ? base as any SigningKeyStore : UnreachableKeys(), clock: ManualClock())
        if keysReachable { try await keyRing.start() }
        return HealthProbe(store: ProbeStore(), keyRing: keyRing)
    }

    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router(context: IdentityRequestContext.self)
        HealthRoutes(store: store, keyRing: keyRing).register(on: router)
        try await Application(router: router).test(.router, body)
    }
}

private final class ProbeStore: DirectoryChangeFeed, StoreSchema {
    private let state = Mutex((unreachable: false, pending: [String]()))
    var unreachable: Bool {
        get { state.withLock { $0.unreachable } }
        set { state.withLock { $0.unreachable = newValue } }
    }
    var pending: [String] {
        get { state.withLock { $0.pending } }
        set { state.withLock { $0.pending = newValue } }
    }

    func directoryVersion() async throws -> Int64 {
        if unreachable { throw StoreError.unavailable("the test cut the store") }
        return 1
    }

    func pendingMigrations() async throws -> [String] { pending }
}

private struct UnreachableKeys: SigningKeyStore {
    func signingKeys() async throws -> [SigningKeyRecord] { throw StoreError.unavailable("keys unreachable") }
    func rotateSigningKey(expectedLatestKeyID: String?, newKey: SigningKeyRecord, retiredRemoveAfter: Date) async throws {
        throw StoreError.unavailable("keys unreachable")
    }
    func deleteRemovedSigningKeys(now: Date, limit: Int) async throws -> Int { 0 }
}
