import CoreMetrics
import Foundation

/// The issuer's domain metrics (swift-metrics), created on an injected factory so each issuer
/// (and each test) has its own and nothing depends on a process-wide bootstrap. `kubeid serve
/// --metrics-listen` passes a Prometheus factory; everything else gets ``disabled``.
///
/// Labels are bounded sets only: grant names, token versions, AADSTS codes, outcomes, cluster
/// names (a registered, operator-chosen set). Never a user, a client id or a raw path.
public struct IssuerMetrics: Sendable {
    private let factory: any MetricsFactory
    private let passwordHashQueue: Gauge
    private let refreshReuse: CoreMetrics.Counter
    private let signingKeysPublished: Gauge
    private let activeKeyCreated: Gauge
    private let nextKeyRotation: Gauge
    private let directoryCacheHits: CoreMetrics.Counter
    private let directoryCacheMisses: CoreMetrics.Counter

    public init(factory: any MetricsFactory) {
        self.factory = factory
        passwordHashQueue = Gauge(label: "kubeid_password_hash_queue_depth", factory: factory)
        refreshReuse = CoreMetrics.Counter(label: "kubeid_refresh_token_reuse_detected_total", factory: factory)
        signingKeysPublished = Gauge(label: "kubeid_signing_keys_published", factory: factory)
        activeKeyCreated = Gauge(label: "kubeid_signing_key_active_created_timestamp_seconds", factory: factory)
        nextKeyRotation = Gauge(label: "kubeid_signing_key_next_rotation_timestamp_seconds", factory: factory)
        directoryCacheHits = CoreMetrics.Counter(label: "kubeid_directory_cache_requests_total", dimensions: [("result", "hit")],
                                                 factory: factory)
        directoryCacheMisses = CoreMetrics.Counter(label: "kubeid_directory_cache_requests_total", dimensions: [("result", "miss")],
                                                   factory: factory)
    }

    /// Records nothing.
    public static let disabled = IssuerMetrics(factory: NOOPMetricsHandler.instance)

    /// A token endpoint success: `grant` is the sign-in flow, `version` the access token's.
    func tokenIssued(flow: SignInFlow, version: Int) {
        counter("kubeid_tokens_issued_total", [("grant", flow.rawValue), ("version", "v\(version)")]).increment()
    }

    /// A refused sign-in (token endpoint or sign-in pages), by Entra's AADSTS code.
    func signInFailed(flow: SignInFlow, code: Int) {
        counter("kubeid_sign_in_failures_total", [("grant", flow.rawValue), ("code", String(code))]).increment()
    }

    /// What became of device codes: `issued`, `approved`, `denied`, `redeemed`.
    func deviceCode(_ outcome: String) {
        counter("kubeid_device_codes_total", [("outcome", outcome)]).increment()
    }

    func refreshTokenReuseDetected() { refreshReuse.increment() }

    /// A TokenReview or SubjectAccessReview answered for `cluster`.
    public func webhookDecision(_ webhook: String, cluster: String, allowed: Bool, seconds: Double) {
        let dimensions = [("webhook", webhook), ("cluster", cluster)]
        counter("kubeid_webhook_decisions_total", dimensions + [("decision", allowed ? "allowed" : "denied")]).increment()
        Timer(label: "kubeid_webhook_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    /// The keys in the JWKS, when the key tokens are signed with was created, and when the next
    /// key takes over (0 without automatic rotation).
    func signingKeys(published: Int, activeCreatedAt: Date?, nextRotation: Date?) {
        signingKeysPublished.record(published)
        if let activeCreatedAt { activeKeyCreated.record(activeCreatedAt.timeIntervalSince1970) }
        nextKeyRotation.record(nextRotation?.timeIntervalSince1970 ?? 0)
    }

    func directoryCache(hit: Bool) { (hit ? directoryCacheHits : directoryCacheMisses).increment() }

    /// What a write-behind log (`log` is `audit` or `signins`) still holds after a flush: above
    /// zero only while the store refuses writes or falls behind.
    func logBuffer(_ log: String, depth: Int) {
        Gauge(label: "kubeid_log_buffer_depth", dimensions: [("log", log)], factory: factory).record(depth)
    }

    /// Records a full write-behind log threw away.
    func logBufferDropped(_ log: String, count: Int) {
        counter("kubeid_log_buffer_dropped_total", [("log", log)]).increment(by: count)
    }

    func passwordHashQueue(depth: Int) { passwordHashQueue.record(depth) }

    /// One HTTP request: `route` is the router's pattern (`/{tenant}/oauth2/v2.0/token`), never
    /// the raw path; the status is counted by class (`2xx`…`5xx`).
    public func httpRequest(route: String, method: String, status: Int, seconds: Double) {
        counter("kubeid_http_requests_total", [("route", route), ("method", method), ("status", "\(status / 100)xx")]).increment()
        Timer(label: "kubeid_http_request_duration_seconds", dimensions: [("route", route), ("method", method)],
              preferredDisplayUnit: .seconds, factory: factory).recordNanoseconds(Int64(seconds * 1e9))
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory)
    }
}
