/// Everything the token endpoint needs to know about a client, read in one go.
public struct ClientRecord: Sendable {
    public var application: Application
    public var servicePrincipal: ServicePrincipal?
    public var secrets: [ClientSecretCredential]
    public var certificates: [CertificateCredential]
    public var federatedCredentials: [FederatedIdentityCredential]
}
