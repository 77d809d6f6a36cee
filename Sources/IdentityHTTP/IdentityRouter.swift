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
        router.add(middleware: DirectoryWriteMiddleware(directory: issuer.directory))
        HealthRoutes(store: issuer.store, keyRing: issuer.keyRing).register(on: router)
        DiscoveryRoutes(directory: issuer.directory, keyRing: issuer.keyRing, urls: issuer.urls).register(on: router)
        TokenRoutes(tokenEndpoint: issuer.tokenEndpoint, urls: issuer.urls).register(on: router)
        DeviceCodeRoutes(deviceAuthorization: issuer.deviceAuthorization).register(on: router)
        let pages = PageSupport(issuer: issuer)
        DeviceLoginPages(deviceFlow: issuer.deviceFlow, directory: issuer.directory, interactiveSignIn: issuer.interactiveSignIn,
                         signInThrottle: issuer.signInThrottle, audit: issuer.audit, support: pages, logger: logger)
            .register(on: router)
        AuthorizeRoutes(authorize: issuer.authorize, interactiveSignIn: issuer.interactiveSignIn, support: pages, logger: logger)
            .register(on: router)
        PrivilegedAccessPages(privilegedAccess: issuer.privilegedAccess, directory: issuer.directory, store: issuer.store,
                              interactiveSignIn: issuer.interactiveSignIn, support: pages, logger: logger)
            .register(on: router)
        GraphRoutes(issuer: issuer, logger: logger).register(on: router)
        WebhookRoutes(clusterWebhooks: issuer.clusterWebhooks, audit: issuer.audit, metrics: issuer.configuration.metrics,
                      logger: logger).register(on: router)
        UserRealmRoutes().register(on: router)
        StaticAssetRoutes().register(on: router)
        return router
    }
}
