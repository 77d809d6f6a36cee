import Foundation

/// Client credentials of applications: secrets (hashed), certificates, federated credentials.
///
/// A credential belongs to an existing application: every add (and `replaceCredentials`) throws
/// `StoreError.notFound` when the tenant has no application with that `appID`.
public protocol CredentialStore: Sendable {
    /// Adds a secret. Throws `StoreError.alreadyExists` if its id is taken.
    func addClientSecret(_ secret: ClientSecretCredential) async throws
    /// The app's secrets, newest first.
    func clientSecrets(tenantID: String, appID: String) async throws -> [ClientSecretCredential]
    /// Adds a certificate. Throws `StoreError.alreadyExists` if its id, or the same thumbprint
    /// for the same app, exists.
    func addCertificate(_ certificate: CertificateCredential) async throws
    /// The app's certificates, newest first.
    func certificates(tenantID: String, appID: String) async throws -> [CertificateCredential]
    /// Atomically removes every secret and certificate of the app and adds the given ones
    /// (what `credential reset` means). Federated credentials are kept. The given credentials
    /// must carry this `tenantID` and `appID` (a programming error otherwise). When it throws
    /// (`alreadyExists` for an id taken by another app), the old credentials are all still there.
    func replaceCredentials(tenantID: String, appID: String, secrets: [ClientSecretCredential],
                            certificates: [CertificateCredential]) async throws
    /// Adds a federated credential. Throws `StoreError.alreadyExists` if the app has one with
    /// the same name, or the same issuer and subject.
    func addFederatedCredential(_ credential: FederatedIdentityCredential) async throws
    /// The app's federated credentials, ordered by name.
    func federatedCredentials(tenantID: String, appID: String) async throws -> [FederatedIdentityCredential]
    /// Removes one secret of the app. Throws `StoreError.notFound` when the app has no secret with this id.
    func deleteClientSecret(tenantID: String, appID: String, id: String) async throws
    /// Removes one certificate of the app. Throws `StoreError.notFound` when the app has none with this id.
    func deleteCertificate(tenantID: String, appID: String, id: String) async throws
    /// Removes one federated credential of the app. Throws `StoreError.notFound` when the app has none with this id.
    func deleteFederatedCredential(tenantID: String, appID: String, id: String) async throws
}
