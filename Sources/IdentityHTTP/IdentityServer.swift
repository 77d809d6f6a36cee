import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import IdentityCore
import Logging
import NIOSSL

/// The HTTPS server around the router: what `kubeid serve` runs.
public enum IdentityServer {
    /// What one instance accepts from the network before any request is authenticated.
    public struct Limits: Sendable, Equatable {
        /// Time a connection may go without a complete request head, a body chunk or a response
        /// (Hummingbird's idle timeout): a silent or stalled TCP or TLS connection, or headers
        /// dribbled byte by byte, are closed after it.
        public var idleTimeout: Duration
        /// Time a request body may take from its head to its end, however it trickles
        /// (``RequestBodyDeadlineMiddleware``).
        public var bodyTimeout: Duration
        /// Open connections at once; beyond it new ones wait in the listen backlog.
        public var maximumConnections: Int
        /// Size of one header field and of the whole header block.
        public var maximumHeaderBytes: Int

        public init(idleTimeout: Duration = .seconds(30), bodyTimeout: Duration = .seconds(20),
                    maximumConnections: Int = 2_000, maximumHeaderBytes: Int = 32 * 1024) {
            self.idleTimeout = idleTimeout
            self.bodyTimeout = bodyTimeout
            self.maximumConnections = maximumConnections
            self.maximumHeaderBytes = maximumHeaderBytes
        }

        var idleNanoseconds: Int64 {
            let parts = idleTimeout.components
            return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
        }
    }

    /// - Parameters:
    ///   - host/port: where to listen (`127.0.0.1:8443` by default).
    ///   - certificateChainFile/privateKeyFile: PEM files for TLS.
    public static func makeApplication(issuer: Issuer, host: String, port: Int, certificateChainFile: String,
                                       privateKeyFile: String, limits: Limits = Limits(),
                                       logger: Logger) throws -> some ApplicationProtocol {
        let chain = try NIOSSLCertificate.fromPEMFile(certificateChainFile).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        let router = IdentityRouter.build(issuer: issuer, logger: logger, bodyTimeout: limits.bodyTimeout)
        return Application(
            router: router,
            server: try .tls(.http1(configuration: .init(
                idleTimeout: .nanoseconds(limits.idleNanoseconds),
                httpDecoderConfiguration: .init(maxHeaderFieldSize: limits.maximumHeaderBytes,
                                                maxHeaderListSize: limits.maximumHeaderBytes, maxHeaderFieldCount: 200))),
                             tlsConfiguration: tls),
            configuration: configuration(host: host, port: port, limits: limits),
            logger: logger)
    }

    static func configuration(host: String, port: Int, limits: Limits) -> ApplicationConfiguration {
        .init(address: .hostname(host, port: port), serverName: "kubeid",
              availableConnectionsDelegate: MaximumAvailableConnections(limits.maximumConnections))
    }

    /// The same server without TLS, for tests of the connection limits.
    public static func makePlainApplication(issuer: Issuer, host: String, port: Int, limits: Limits,
                                            logger: Logger) -> some ApplicationProtocol {
        Application(router: IdentityRouter.build(issuer: issuer, logger: logger, bodyTimeout: limits.bodyTimeout),
                    server: .http1(configuration: .init(
                        idleTimeout: .nanoseconds(limits.idleNanoseconds),
                        httpDecoderConfiguration: .init(maxHeaderFieldSize: limits.maximumHeaderBytes,
                                                        maxHeaderListSize: limits.maximumHeaderBytes, maxHeaderFieldCount: 200))),
                    configuration: configuration(host: host, port: port, limits: limits),
                    logger: logger)
    }
}
