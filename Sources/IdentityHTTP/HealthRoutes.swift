import Hummingbird
import IdentityCore
import OAuthProtocol

/// `/healthz` (liveness: the process answers HTTP) and `/readyz` (readiness: the store answers,
/// its schema has every migration this build needs, and a signing key is loaded). A load
/// balancer or a Kubernetes readiness probe takes an instance out while `/readyz` is 503; a
/// liveness probe restarts it only when `/healthz` stops answering, so a database outage does not
/// turn into restarts of every instance.
struct HealthRoutes {
    /// What readiness asks of the store: that it answers and that its schema is current.
    let store: any DirectoryChangeFeed & StoreSchema
    let keyRing: KeyRing

    func register(on router: Router<IdentityRequestContext>) {
        router.get("/healthz") { _, _ -> Response in
            EntraResponse.json(.object([("status", .string("ok"))]))
        }
        router.get("/readyz") { _, _ -> Response in
            let failures = await readinessFailures()
            guard failures.isEmpty else {
                return EntraResponse.json(.object([("status", .string("unavailable")),
                                                   ("checks", .object(failures.map { ($0.check, .string($0.reason)) }))]),
                                          status: .serviceUnavailable)
            }
            return EntraResponse.json(.object([("status", .string("ok"))]))
        }
    }

    /// Each failed check with a reason fit for an operator (never a secret: store errors name
    /// the backend's condition, not its credentials).
    private func readinessFailures() async -> [(check: String, reason: String)] {
        var failures: [(check: String, reason: String)] = []
        do {
            _ = try await store.directoryVersion()
            let pending = try await store.pendingMigrations()
            if !pending.isEmpty {
                failures.append(("schema", "migrations pending: \(pending.joined(separator: ", "))"))
            }
        } catch {
            failures.append(("store", "\(error)"))
        }
        do {
            _ = try await keyRing.activeKey()
        } catch {
            failures.append(("signingKey", "\(error)"))
        }
        return failures
    }
}
