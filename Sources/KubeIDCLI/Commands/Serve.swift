import ArgumentParser
import Foundation
import Hummingbird
import IdentityCore
import IdentityHTTP
import Logging
import ServiceLifecycle

extension KubeIDCommand {
    /// `kubeid serve`: the issuer over HTTPS.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the issuer (HTTPS). SIGTERM or Ctrl-C drains requests and exits.",
            discussion: """
            With no flags: data in ./.kubeid, HTTPS on 127.0.0.1:8443, issuer https://127.0.0.1:8443. On first \
            start it creates a local CA and a server certificate in <data-dir>/tls (trust tls/ca.crt) unless \
            --tls-cert/--tls-key are given, and a signing key. Every flag has a KUBEID_* environment equivalent.
            """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var tokens: TokenOptions
        @OptionGroup var signIn: SignInOptions
        @Option(help: "Address to listen on, HOST:PORT (env KUBEID_LISTEN; default 127.0.0.1:8443).")
        var listen: String?
        @Option(name: .customLong("issuer-url"),
                help: """
                Public base URL used in every issuer and endpoint string (env KUBEID_ISSUER_URL; default \
                https://<listen>); recorded in the store for admin commands that print URLs.
                """)
        var issuerURL: String?
        @Option(name: .customLong("tls-cert"), help: "PEM certificate chain (env KUBEID_TLS_CERT).")
        var tlsCertificate: String?
        @Option(name: .customLong("tls-key"), help: "PEM private key (env KUBEID_TLS_KEY).")
        var tlsKey: String?
        @Option(name: .customLong("trusted-ca-file"),
                help: "Extra CA bundle for outbound HTTPS to federated issuers (env KUBEID_TRUSTED_CA_FILE).")
        var trustedCAFile: String?
        @Option(name: .customLong("log-level"), help: "trace, debug, info (default), notice, warning, error (env KUBEID_LOG_LEVEL).")
        var logLevel: String?
        @Option(name: .customLong("log-format"), help: "text (default) or json, one object per line (env KUBEID_LOG_FORMAT).")
        var logFormat: String?
        @Option(name: .customLong("audit-retention"),
                help: "Days audit events are kept; 0 keeps them forever (env KUBEID_AUDIT_RETENTION_DAYS; default 30).")
        var auditRetentionDays: Int?

        @Option(name: .customLong("signin-retention"),
                help: "Days sign-in records are kept; 0 keeps them forever (env KUBEID_SIGNIN_RETENTION_DAYS; default 30).")
        var signInRetentionDays: Int?
        @Option(name: .customLong("graph-rate-limit"),
                help: "Graph admin API requests per minute per client before 429 (env KUBEID_GRAPH_RATE_LIMIT; default 600).")
        var graphRateLimit: Int?
        @Option(name: .customLong("metrics-listen"),
                help: "Serve Prometheus metrics at http://HOST:PORT/metrics, plain HTTP (env KUBEID_METRICS_LISTEN; default off). Keep it on loopback or a private network.")
        var metricsListen: String?
        @Flag(help: "Create (or refresh) a demo tenant and service principal and print how to use them.")
        var demo = false

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let settings = try ServeSettings.resolve(self, environment: environment)
            let logger = Self.bootstrapLogging(level: settings.logLevel, json: settings.logFormat == "json")

            let dataDirectory = DataDirectory(path: store.resolvedDataDirectory(environment: environment))
            // Held until `run` returns: `db restore` refuses while it is (ServeLock).
            let serveLock = try ServeLock.forServe(store, environment: environment)
            defer { serveLock?.release() }
            let exporter = settings.metricsListen.map { _ in MetricsExporter() }
            let opened = try await StoreFactory.open(store, environment: environment, logger: logger, exporter: exporter)
            let tls = try settings.tlsFiles(dataDirectory: dataDirectory)
            let keySource = try HTTPExternalIssuerKeySource(trustedCAFile: settings.trustedCAFile, logger: logger)
            do {
                try await serve(settings: settings, dataDirectory: dataDirectory, opened: opened, tls: tls,
                                keySource: keySource, exporter: exporter, environment: environment, logger: logger)
            } catch {
                // Whatever failed (a key this instance cannot unseal, a port in use), the HTTP
                // client must be shut down before it is released, or AsyncHTTPClient traps and
                // the error never reaches the operator.
                try? await keySource.shutdown()
                await opened.close()
                throw error
            }
            try? await keySource.shutdown()
            await opened.close()
            logger.info("kubeid stopped")
        }

        /// Starts the issuer and runs the HTTPS server until SIGTERM or SIGINT.
        private func serve(settings: ServeSettings, dataDirectory: DataDirectory, opened: OpenedStore,
                           tls: ServeSettings.TLSFiles, keySource: HTTPExternalIssuerKeySource, exporter: MetricsExporter?,
                           environment: [String: String], logger: Logger) async throws {
            let (identityStore, hasher) = (opened.store, opened.hasher)
            var configuration = try tokens.issuerConfiguration(issuerURL: settings.issuerURL, environment: environment)
            try signIn.apply(to: &configuration, environment: environment)
            configuration.graphRequestsPerMinute = settings.graphRequestsPerMinute
            configuration.keyEncryption = opened.keyEncryption
            if let exporter { configuration.metrics = exporter.metrics }
            let issuer = Issuer(configuration: configuration, store: identityStore, hasher: hasher, externalKeys: keySource,
                                logger: logger)
            try await issuer.start()
            // Admin commands that print URLs (get-credentials, apiserver-config) use this one when
            // they are not given --issuer-url.
            try await identityStore.setSetting(.issuerURL, to: settings.issuerURL)

            if let ca = tls.generatedCA {
                Self.say("kubeid: clients must trust the CA certificate \(ca)")
            }
            if demo {
                let demoTenant = try await DemoTenant.prepare(administration: DirectoryAdministration(store: identityStore, hasher: hasher,
                                                                                                    keyEncryption: opened.keyEncryption))
                Self.say(demoTenant.instructions(issuerURL: settings.issuerURL, caFile: tls.generatedCA ?? tls.certificate))
            }
            let application = try IdentityServer.makeApplication(
                issuer: issuer, host: settings.host, port: settings.port,
                certificateChainFile: tls.certificate, privateKeyFile: tls.key, logger: logger)
            logger.info("kubeid serving", metadata: ["listen": "\(settings.host):\(settings.port)", "issuer": "\(settings.issuerURL)",
                                                    "dataDir": "\(dataDirectory.path)",
                                                    "store": "\(opened.location)"])
            let group = ServiceGroup(configuration: serviceGroupConfiguration(
                issuer: issuer, store: identityStore, settings: settings, server: application, exporter: exporter, logger: logger))
            try await group.run()
        }

        /// Everything `serve` runs, as one group: SIGTERM or SIGINT shuts it down gracefully in
        /// reverse order (the HTTPS server drains its requests first, then the metrics exporter
        /// stops, then the log writers write their last batches, then rotation and garbage
        /// collection end), and any service that ends or fails on its own shuts the rest down the
        /// same way, with `serve` exiting non-zero on an error.
        private func serviceGroupConfiguration(issuer: Issuer, store: any IdentityStore, settings: ServeSettings,
                                               server: some Service, exporter: MetricsExporter?,
                                               logger: Logger) -> ServiceGroupConfiguration {
            let collector = GarbageCollector(store: store, auditRetention: settings.auditRetention,
                                             signInRetention: settings.signInRetention, logger: logger)
            let rotation = KeyRotationScheduler(keyRing: issuer.keyRing, logger: logger)
            // Every instance runs every loop: the store makes their work safe to repeat (bounded
            // deletes that skip each other's rows; one rotation per compare-and-swap).
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
                BackgroundService("garbage collector") { await collector.run(every: Self.garbageCollectionInterval) },
                BackgroundService("key rotation scheduler") { await rotation.run(every: Self.keyRotationCheckInterval) },
                // Batched audit events (client-credentials tokens, webhook denials) and sign-in
                // records reach the store every second.
                BackgroundService("audit log writer") { await issuer.audit.buffer.run(every: Self.auditBatchInterval) },
                BackgroundService("sign-in log writer") { await issuer.signInLog.buffer.run(every: Self.auditBatchInterval) },
            ].map(\.configuration)
            if let exporter, let listen = settings.metricsListen {
                services.append(.init(service: exporter.application(host: listen.host, port: listen.port, logger: logger),
                                      successTerminationBehavior: .gracefullyShutdownGroup,
                                      failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: "metrics exporter"))
                logger.info("metrics at /metrics", metadata: ["listen": "\(listen.host):\(listen.port)"])
            }
            services.append(.init(service: server, successTerminationBehavior: .gracefullyShutdownGroup,
                                  failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: "HTTPS server"))
            var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                          logger: logger)
            // A request that never finishes, or a last log batch the database does not take,
            // must not keep the process from exiting: after the drain the rest is cancelled, and
            // a service that ignores even that is left behind a moment later.
            configuration.maximumGracefulShutdownDuration = Self.maximumDrain
            configuration.maximumCancellationDuration = .seconds(1)
            return configuration
        }

        /// How often `serve` deletes expired records (see ``GarbageCollector``).
        static let garbageCollectionInterval: Duration = .seconds(300)
        /// How often batched audit events are written (see ``AuditBuffer``).
        static let auditBatchInterval: Duration = .seconds(1)
        /// How often each instance checks whether the next signing key is due (one store read).
        static let keyRotationCheckInterval: Duration = .seconds(60)
        /// How long SIGTERM waits for in-flight requests and the last log batches before
        /// cancelling them: well inside a supervisor's stop timeout (systemd's unit: 30 s).
        static let maximumDrain: Duration = .seconds(8)

        static func say(_ text: String) {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }

        static func bootstrapLogging(level: Logger.Level, json: Bool = false) -> Logger {
            LoggingSystem.bootstrap { label in
                if json {
                    var handler = JSONLogHandler(label: label)
                    handler.logLevel = level
                    return handler
                }
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var logger = Logger(label: "kubeid")
            logger.logLevel = level
            return logger
        }
    }
}
