/// A client whose credential checked out.
public struct AuthenticatedClient: Sendable {
    public enum Method: String, Sendable {
        case clientSecret, certificate, federatedAssertion

        /// `appidacr`/`azpacr`: 1 for a secret, 2 for a certificate. Entra does not document the
        /// value for federated assertions; kubeid treats them as certificate-strength ("2").
        public var authenticationClass: String { self == .clientSecret ? "1" : "2" }
    }
    public var record: ClientRecord
    public var method: Method
}
