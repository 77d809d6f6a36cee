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
                help: "Public base URL used in every issuer and endpoint string (env KUBEID_ISSUER_URL; default https://<listen>).")
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
            let opened = try await StoreFactory.open(store, environment: environment, logger: logger)
            let tls = try settings.tlsFiles(dataDirectory: dataDirectory)
            let keySource = try HTTPExternalIssuerKeySource(trustedCAFile: settings.trustedCAFile, logger: logger)
            do {
                try await serve(settings: settings, dataDirectory: dataDirectory, opened: opened, tls: tls,
                                keySource: keySource, environment: environment, logger: logger)
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
                           tls: ServeSettings.TLSFiles, keySource: HTTPExternalIssuerKeySource,
                           environment: [String: String], logger: Logger) async throws {
            let (identityStore, hasher) = (opened.store, opened.hasher)
            var configuration = try tokens.issuerConfiguration(issuerURL: settings.issuerURL, environment: environment)
            try signIn.apply(to: &configuration, environment: environment)
            configuration.graphRequestsPerMinute = settings.graphRequestsPerMinute
            configuration.keyEncryption = opened.keyEncryption
            let exporter = settings.metricsListen.map { _ in MetricsExporter() }
            if let exporter { configuration.metrics = exporter.metrics }
            let issuer = Issuer(configuration: configuration, store: identityStore, hasher: hasher, externalKeys: keySource,
                                logger: logger)
            try await issuer.start()

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
            // Expired codes, tokens and replay entries go in bounded batches every few minutes;
            // every instance runs it (safe: the stores' batches do not collide).
            let garbageCollection = Task {
                await GarbageCollector(store: identityStore, auditRetention: settings.auditRetention,
                                       signInRetention: settings.signInRetention, logger: logger)
                    .run(every: Self.garbageCollectionInterval)
            }
            // Batched audit events (client-credentials tokens, webhook denials) reach the store
            // every second; the last batch is written after the server has stopped.
            let auditWriter = Task { await issuer.audit.buffer.run(every: Self.auditBatchInterval) }
            // The sign-in log likewise: one batch a second, the last one after the server stopped.
            let signInWriter = Task { await issuer.signInLog.buffer.run(every: Self.auditBatchInterval) }
            var services: [any Service] = [application]
            if let exporter, let listen = settings.metricsListen {
                services.append(exporter.application(host: listen.host, port: listen.port, logger: logger))
                logger.info("metrics at /metrics", metadata: ["listen": "\(listen.host):\(listen.port)"])
            }
            let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                          logger: logger))
            do {
                try await group.run()
            } catch {
                await Self.stop(garbageCollection, auditWriter, signInWriter)
                throw error
            }
            await Self.stop(garbageCollection, auditWriter, signInWriter)
        }

        /// Ends the background tasks and waits for them (the log writers write their last batch).
        private static func stop(_ writers: Task<Void, Never>...) async {
            for writer in writers {
                writer.cancel()
                await writer.value
            }
        }

        /// How often `serve` deletes expired records (see ``GarbageCollector``).
        static let garbageCollectionInterval: Duration = .seconds(300)
        /// How often batched audit events are written (see ``AuditBuffer``).
        static let auditBatchInterval: Duration = .seconds(1)

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
