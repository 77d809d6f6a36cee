import Hummingbird
import IdentityCore

/// `/healthz`: 200 when the store answers and a signing key is loaded, 503 otherwise, so a
/// load balancer takes an instance out while its database is unreachable.
struct HealthRoutes {
    let issuer: Issuer

    func register(on router: Router<IdentityRequestContext>) {
        router.get("/healthz") { _, _ -> Response in
            do {
                _ = try await issuer.store.directoryVersion()
                _ = try await issuer.keyRing.activeKey()
                return EntraResponse.json(.object([("status", .string("ok"))]))
            } catch {
                return EntraResponse.json(.object([("status", .string("unavailable"))]), status: .serviceUnavailable)
            }
        }
    }
}
