import Hummingbird
import IdentityCore
import Logging
import Prometheus

/// `serve --metrics-listen`: a Prometheus registry the issuer's metrics go to, and a plain-HTTP
/// `/metrics` endpoint in the Prometheus text format (exporters are plain HTTP; keep it on
/// loopback or a private network).
struct MetricsExporter {
    let registry = PrometheusCollectorRegistry()

    /// Request and webhook latencies resolve 100 µs to 10 s: a cached token review is well under
    /// a millisecond, a password sign-in is hundreds.
    static let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    private var factory: PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        return factory
    }

    var metrics: IssuerMetrics { IssuerMetrics(factory: factory) }

    /// The store's own metrics (`backend` is `sqlite` or `postgres`) on the same registry.
    func storeMetrics(backend: String) -> StoreMetrics { StoreMetrics(factory: factory, backend: backend) }

    func application(host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        let registry = registry
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "kubeid-metrics"),
                           logger: logger)
    }
}
