import Hummingbird
import HummingbirdTLS
import IdentityCore
import Logging
import NIOSSL

/// The HTTPS server around the router: what `kubeid serve` runs.
public enum IdentityServer {
    /// - Parameters:
    ///   - host/port: where to listen (`127.0.0.1:8443` by default).
    ///   - certificateChainFile/privateKeyFile: PEM files for TLS.
    public static func makeApplication(issuer: Issuer, host: String, port: Int, certificateChainFile: String,
                                       privateKeyFile: String, logger: Logger) throws -> some ApplicationProtocol {
        let chain = try NIOSSLCertificate.fromPEMFile(certificateChainFile).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        let router = IdentityRouter.build(issuer: issuer, logger: logger)
        return Application(
            router: router,
            server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname(host, port: port), serverName: "kubeid"),
            logger: logger)
    }
}
