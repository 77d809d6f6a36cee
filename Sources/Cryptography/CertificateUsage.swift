/// Extended key usages a certificate can be issued for (RFC 5280 §4.2.1.12).
public enum CertificateUsage: Sendable, Hashable {
    /// `id-kp-serverAuth`: TLS server certificates (the local HTTPS listener).
    case serverAuth
    /// `id-kp-clientAuth`: TLS client certificates (for example kubeconfig users with `O=system:masters`).
    case clientAuth

    var configName: String {
        switch self {
        case .serverAuth: return "serverAuth"
        case .clientAuth: return "clientAuth"
        }
    }
}
