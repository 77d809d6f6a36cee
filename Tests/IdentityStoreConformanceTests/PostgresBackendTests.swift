#if canImport(IdentityStorePostgres)
import Foundation
import IdentityCore
@_spi(Testing) import IdentityStorePostgres
import IdentityTesting
import Testing

/// What only the PostgreSQL backend has: its URL, migrations under a lock, several pools (issuer
/// instances) on one schema, and losing the server. Runs when `KUBEID_TEST_POSTGRES_URL` is set.
@Suite("PostgreSQL backend", .enabled(if: StoreBackend.postgres.isAvailable))
struct PostgresBackendTests {
    /// Stores (one per simulated instance) on one fresh schema, dropped afterwards.
    private static func withInstances(_ count: Int, migrate: Bool = true,
                                      _ body: ([PostgresIdentityStore]) async throws -> Void) async throws {
        let configuration = try StoreBackend.freshPostgresConfiguration()
        let stores = (0..<count).map { _ in PostgresIdentityStore(configuration: configuration) }
        do {
            if migrate { try await stores[0].migrate() }
            try await body(stores)
        } catch {
            try? await stores[0].dropSchema()
            for store in stores { await store.close() }
            throw error
        }
        try? await stores[0].dropSchema()
        for store in stores { await store.close() }
    }

    // MARK: Configuration

    @Test func urlsParseLikeLibpq() throws {
        let full = try PostgresStoreConfiguration(
            url: "postgresql://kube%40id:p%2Fss@db.example.com:6432/identity?sslmode=verify-full&schema=issuer_a&pool_max=7&connect_timeout=2.5&application_name=a",
            environment: [:])
        #expect(full.host == "db.example.com")
        #expect(full.port == 6432)
        #expect(full.user == "kube@id")
        #expect(full.password == "p/ss")
        #expect(full.database == "identity")
        #expect(full.tlsMode == .verifyFull)
        #expect(full.schema == "issuer_a")
        #expect(full.maximumConnections == 7)
        #expect(full.connectionTimeout == 2.5)
        #expect(full.applicationName == "a")
        #expect(!full.redactedDescription.contains("p/ss") && !full.redactedDescription.contains("p%2Fss"))

        let minimal = try PostgresStoreConfiguration(url: "postgres://kubeid@[::1]/kubeid",
                                                     environment: ["PGPASSWORD": "from-env"])
        #expect(minimal.host == "::1")
        #expect(minimal.port == 5432)
        #expect(minimal.password == "from-env")
        #expect(minimal.schema == "public")
        #expect(minimal.tlsMode == .prefer)
        #expect(PostgresStoreConfiguration.isPostgresURL("POSTGRES://x@y/z"))
        #expect(!PostgresStoreConfiguration.isPostgresURL("/var/lib/kubeid"))
    }

    /// Issue 13 item 9: libpq's `prefer` lets an active attacker strip TLS, so it is the default
    /// only on loopback; a remote host defaults to `require`, and a CA file to `verify-full`.
    @Test func tlsIsRequiredByDefaultOffLoopback() throws {
        func mode(_ url: String) throws -> PostgresStoreConfiguration.TLSMode {
            try PostgresStoreConfiguration(url: url, environment: [:]).tlsMode
        }
        #expect(try mode("postgres://u@db.example.com/d") == .require)
        #expect(try mode("postgres://u@10.0.0.5:5432/d") == .require)
        #expect(try mode("postgres://u@[2001:db8::5]/d") == .require)
        #expect(try mode("postgres://u@127.0.0.1/d") == .prefer)
        #expect(try mode("postgres://u@localhost/d") == .prefer)
        #expect(try mode("postgres://u@[::1]/d") == .prefer)
        #expect(try mode("postgres://u@db.example.com/d?sslrootcert=/etc/kubeid/db-ca.pem") == .verifyFull)
        #expect(try mode("postgres://u@localhost/d?sslrootcert=/etc/kubeid/db-ca.pem") == .verifyFull)
        // An explicit choice is kept.
        #expect(try mode("postgres://u@db.example.com/d?sslmode=disable") == .disable)
        let withCA = try PostgresStoreConfiguration(url: "postgres://u@db.example.com/d?sslrootcert=/ca.pem", environment: [:])
        #expect(withCA.certificateAuthorityFile == "/ca.pem")
        #expect(withCA.redactedDescription.contains("sslmode=verify-full"))
        #expect(PostgresStoreConfiguration(host: "db.example.com", user: "u", database: "d").tlsMode == .require)
        #expect(throws: StoreError.invalidData) {
            try PostgresStoreConfiguration(url: "postgres://u@h/d?sslmode=disable&sslrootcert=/ca.pem", environment: [:])
        }
    }

    @Test(arguments: [
        "mysql://u@h/d", "postgres://h/d", "postgres://u@h", "postgres://u@h/", "postgres://u@/d",
        "postgres://u@h/d?sslmode=sometimes", "postgres://u@h/d?schema=Public", "postgres://u@h/d?schema=a;drop",
        "postgres://u@h/d?pool_max=0", "postgres://u@h/d?connect_timeout=-1", "postgres://u@h/d?colour=blue",
    ])
    func badURLsAreRejected(_ url: String) {
        #expect(throws: StoreError.invalidData) { try PostgresStoreConfiguration(url: url, environment: [:]) }
    }

    // MARK: Migrations

    @Test func migrationsAreRecordedAndIdempotent() async throws {
        try await Self.withInstances(1, migrate: false) { stores in
            let store = stores[0]
            #expect(try await store.appliedMigrations() == [])
            #expect(try await store.pendingMigrations() == PostgresIdentityStore.knownMigrations)
            try await store.migrate()
            try await store.migrate()
            #expect(try await store.appliedMigrations() == PostgresIdentityStore.knownMigrations)
            #expect(try await store.pendingMigrations() == [])
            #expect(try await store.serverVersion().hasPrefix("PostgreSQL"))
        }
    }

    /// Instances starting at the same moment: one applies, the others wait on the advisory lock
    /// and find nothing to do; nothing fails and nothing is applied twice.
    @Test func concurrentMigrationsApplyOnce() async throws {
        try await Self.withInstances(5, migrate: false) { stores in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in stores { group.addTask { try await store.migrate() } }
                try await group.waitForAll()
            }
            for store in stores {
                #expect(try await store.appliedMigrations() == PostgresIdentityStore.knownMigrations)
            }
            try await stores[1].createTenant(Fixtures.tenant(name: "contoso"))
            #expect(try await stores[4].listTenants().map(\.name) == ["contoso"])
        }
    }

    // MARK: Several instances on one schema

    @Test func instancesShareStateAndTheDirectoryVersion() async throws {
        try await Self.withInstances(2) { stores in
            let (server, adminCLI) = (stores[0], stores[1])
            let before = try await server.directoryVersion()
            try await adminCLI.createTenant(Fixtures.tenant(id: Fixtures.tenantID, name: "contoso"))
            let app = Fixtures.application(appID: "app", identifierURIs: ["api://app"])
            try await adminCLI.createApplication(app, servicePrincipal: nil, secrets: [Fixtures.secret(for: app)],
                                                 certificates: [])
            #expect(try await server.directoryVersion() != before)
            #expect(try await server.directoryVersion() == adminCLI.directoryVersion())
            #expect(try await server.application(tenantID: Fixtures.tenantID, identifierURI: "api://app") == app)
        }
    }

    /// The rotation race across pools: five instances rotate from the same key at once.
    @Test func rotationHasOneWinnerAcrossInstances() async throws {
        try await Self.withInstances(5) { stores in
            try await stores[0].rotateSigningKey(expectedLatestKeyID: nil, newKey: Fixtures.signingKey("k0"),
                                                 retiredRemoveAfter: Fixtures.date(100))
            let outcomes = await concurrently(25) { index in
                try await stores[index % 5].rotateSigningKey(expectedLatestKeyID: "k0",
                                                             newKey: Fixtures.signingKey("k-\(index)"),
                                                             retiredRemoveAfter: Fixtures.date(100))
            }
            #expect(outcomes.filter { $0.failure == nil }.count == 1)
            #expect(outcomes.compactMap { $0.failure as? StoreError }.allSatisfy { $0.code == .conflict })
            let keys = try await stores[3].signingKeys()
            #expect(keys.count == 2)
            #expect(keys.filter { $0.retiredAt == nil }.count == 1)
        }
    }

    /// Automatic rotation on three instances' key rings, their schedulers waking at the same
    /// instant: one pre-published key, and every instance switches to it at its activation.
    @Test func scheduledRotationPublishesOneKeyAcrossInstances() async throws {
        try await Self.withInstances(3) { stores in
            let clock = ManualClock()
            let policy = KeyRotationPolicy(interval: 10 * 86_400, prepublication: 2 * 86_400)
            let rings = stores.map { KeyRing(store: $0, clock: clock, rotation: policy) }
            for ring in rings { try await ring.start() }
            let first = try await rings[0].activeKey().record.keyID
            clock.advance(by: 8 * 86_400)
            let published = await concurrently(9) { index in
                if try await rings[index % 3].rotateIfDue() == nil { throw StoreError.conflict }
            }
            #expect(published.filter { $0.failure == nil }.count == 1)
            let keys = try await stores[1].signingKeys()
            #expect(keys.count == 2)
            clock.advance(by: 2 * 86_400)
            for ring in rings {
                try await ring.reload()
                #expect(try await ring.activeKey().record.keyID == keys[1].keyID)
                #expect(try await ring.activeKey().record.keyID != first)
            }
        }
    }

    /// Two instances starting on an empty database both find no active key and create one:
    /// exactly one of the two creations wins.
    @Test func firstKeyHasOneWinnerAcrossInstances() async throws {
        try await Self.withInstances(2) { stores in
            let outcomes = await concurrently(10) { index in
                try await stores[index % 2].rotateSigningKey(expectedLatestKeyID: nil,
                                                             newKey: Fixtures.signingKey("first-\(index)"),
                                                             retiredRemoveAfter: Fixtures.date(100))
            }
            #expect(outcomes.filter { $0.failure == nil }.count == 1)
            let keys = try await stores[0].signingKeys()
            #expect(keys.count == 1)
        }
    }

    @Test func refreshRotationHasOneWinnerAcrossInstances() async throws {
        try await Self.withInstances(3) { stores in
            try await stores[0].createRefreshToken(Fixtures.refreshToken("rt"))
            let outcomes = await concurrently(50) { index in
                try await stores[index % 3].updateRefreshToken(id: "rt") { token in
                    guard token.state == .active else { throw Refused() }
                    token.state = .rotated
                    token.successorID = "next-\(index)"
                }
            }
            #expect(outcomes.filter { $0.failure == nil }.count == 1)
            #expect(outcomes.compactMap { $0.failure }.allSatisfy { $0 is Refused })
        }
    }

    // MARK: Garbage collection

    /// Batches are bounded, and purges running on several instances at once (SKIP LOCKED) share
    /// the work without deleting anything twice or live.
    @Test func concurrentPurgesShareTheBacklog() async throws {
        try await Self.withInstances(3) { stores in
            let total = 3_000
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<10 {
                    group.addTask {
                        for index in stride(from: worker, to: total, by: 10) {
                            _ = try await stores[worker % 3].recordOnce(namespace: "jti", id: "e-\(index)",
                                                                        expiresAt: Fixtures.date(Double(index % 50)),
                                                                        now: Fixtures.date(-1))
                        }
                    }
                }
                try await group.waitForAll()
            }
            _ = try await stores[0].recordOnce(namespace: "jti", id: "live", expiresAt: Fixtures.date(10_000),
                                               now: Fixtures.date(-1))
            let deleted = try await withThrowingTaskGroup(of: Int.self) { group in
                for store in stores {
                    group.addTask {
                        var count = 0
                        while true {
                            let batch = try await store.purgeExpiredReplayEntries(now: Fixtures.date(100), limit: 250)
                            #expect(batch <= 250)
                            count += batch
                            if batch < 250 { return count }
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            var remaining = 0
            while true {
                let batch = try await stores[0].purgeExpiredReplayEntries(now: Fixtures.date(100), limit: 1_000)
                remaining += batch
                if batch == 0 { break }
            }
            #expect(deleted + remaining == total)
            #expect(try await stores[1].recordOnce(namespace: "jti", id: "live", expiresAt: Fixtures.date(10_000),
                                                   now: Fixtures.date(200)) == false)
        }
    }

    // MARK: Losing the database

    /// Nothing listens on the port: operations fail with `unavailable` within the configured
    /// timeout instead of hanging.
    @Test func unreachableServerIsUnavailableQuickly() async throws {
        var configuration = try StoreBackend.freshPostgresConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 1 // privileged and unused: connection refused
        configuration.connectionTimeout = 1
        let store = PostgresIdentityStore(configuration: configuration)
        for _ in 0..<2 {
            let started = ContinuousClock.now
            let error = await #expect(throws: StoreError.unavailable) { try await store.directoryVersion() }
            // Either fast, or (when a busy test run starves the timer) ended by the store's own
            // bounded wait rather than by PostgresNIO queueing the request for a minute.
            let reason = error?.reason ?? ""
            #expect(ContinuousClock.now - started < .seconds(10) || reason.hasPrefix("no database connection within"),
                    "\(reason)")
        }
        await store.close()
    }

    /// The server drops every connection of the pool (as on a restart or failover): operations
    /// report `unavailable` or succeed, never anything else, and the pool reconnects by itself.
    @Test func theStoreRecoversAfterLosingItsConnections() async throws {
        try await Self.withInstances(1) { stores in
            let admin = stores[0]
            // Its own application name, so only its connections are ended (tests run in parallel).
            var configuration = admin.configuration
            configuration.applicationName = "kubeid-loss-" + configuration.schema.suffix(12)
            configuration.connectionTimeout = 3
            let store = PostgresIdentityStore(configuration: configuration)
            defer { Task { await store.close() } }
            try await store.createTenant(Fixtures.tenant(id: Fixtures.tenantID, name: "contoso"))
            for _ in 0..<3 {
                // Keep a few connections open in the pool, then have the server end them.
                _ = await concurrently(4) { _ in try await store.tenant(id: Fixtures.tenantID) }
                try await admin.terminateBackends(applicationName: configuration.applicationName)
                for _ in 0..<6 {
                    do {
                        _ = try await store.tenant(id: Fixtures.tenantID)
                    } catch let error as StoreError {
                        #expect(error.code == .unavailable, "\(error)")
                    }
                }
            }
            var recovered = false
            let deadline = ContinuousClock.now + .seconds(120)
            while !recovered, ContinuousClock.now < deadline {
                recovered = (try? await store.tenant(id: Fixtures.tenantID)) != nil
                if !recovered { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(recovered)
        }
    }
}
#endif
