import Hummingbird
import IdentityCore
import Logging

/// Builds the router every deployment and every test uses: one place lists what kubeid serves.
public enum IdentityRouter {
    public static func build(issuer: Issuer, logger: Logger = Logger(label: "kubeid.http"),
                             bodyTimeout: Duration = .seconds(20)) -> Router<IdentityRequestContext> {
        let router = Router(context: IdentityRequestContext.self)
        router.add(middleware: RequestIDMiddleware(logger: logger))
        router.add(middleware: HTTPMetricsMiddleware(metrics: issuer.configuration.metrics))
        router.add(middleware: EntraErrorMiddleware(errorURIBase: "\(issuer.urls.baseURL)/error", logger: logger))
        router.add(middleware: RequestBodyDeadlineMiddleware(timeout: bodyTimeout))
        HealthRoutes(store: issuer.store, keyRing: issuer.keyRing).register(on: router)
        DiscoveryRoutes(issuer: issuer).register(on: router)
        TokenRoutes(issuer: issuer).register(on: router)
        DeviceCodeRoutes(issuer: issuer).register(on: router)
        DeviceLoginPages(issuer: issuer, logger: logger).register(on: router)
        AuthorizeRoutes(issuer: issuer, logger: logger).register(on: router)
        GraphRoutes(issuer: issuer, logger: logger).register(on: router)
        WebhookRoutes(issuer: issuer, logger: logger).register(on: router)
        UserRealmRoutes().register(on: router)
        StaticAssetRoutes().register(on: router)
        return router
    }
}
