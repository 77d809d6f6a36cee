/// Application registrations and their service principals (one aggregate: an app and its
/// principal are created together and live in one tenant).
public protocol ApplicationStore: Sendable {
    /// Atomically inserts an application, optionally its service principal, and its initial
    /// credentials: either all of them are stored or none. The principal and the credentials
    /// must carry the application's `tenantID` and `appID` (a programming error otherwise).
    /// Throws `StoreError.alreadyExists` if the tenant already has an app with this `appID`,
    /// an object with the same object id exists, another app of the tenant already answers to
    /// one of its `identifierURIs`, or a credential id is taken.
    func createApplication(_ application: Application, servicePrincipal: ServicePrincipal?,
                           secrets: [ClientSecretCredential], certificates: [CertificateCredential]) async throws
    /// The application with this client id in this tenant, or nil.
    func application(tenantID: String, appID: String) async throws -> Application?
    /// The application answering to this identifier URI (exact match) in this tenant, or nil.
    func application(tenantID: String, identifierURI: String) async throws -> Application?
    /// Every application in the tenant, ordered by display name then app id.
    func listApplications(tenantID: String) async throws -> [Application]
    /// Reads the application, passes it to `change` and stores the result atomically.
    /// `change` may run more than once (retries after a conflict) and must only modify fields of
    /// the value it is given; `tenantID` and `appID` cannot change (the store keeps the stored
    /// ones whatever `change` sets). If `change` throws, nothing is stored and its error is
    /// rethrown unchanged. Returns the stored value.
    /// Throws `StoreError.notFound` when there is no such application, and
    /// `StoreError.alreadyExists` when the new `objectID` or an identifier URI belongs to
    /// another app of the tenant.
    @discardableResult
    func updateApplication(tenantID: String, appID: String,
                           _ change: @Sendable (inout Application) throws -> Void) async throws -> Application

    /// The service principal of this app in this tenant, or nil.
    func servicePrincipal(tenantID: String, appID: String) async throws -> ServicePrincipal?
    /// The service principal with this object id in this tenant, or nil.
    func servicePrincipal(tenantID: String, objectID: String) async throws -> ServicePrincipal?
    /// Every service principal in the tenant, ordered by display name then app id.
    func listServicePrincipals(tenantID: String) async throws -> [ServicePrincipal]
    /// Reads the service principal, passes it to `change` and stores the result atomically
    /// (same rules as ``updateApplication(tenantID:appID:_:)``; `tenantID`, `objectID`, `appID`
    /// and `createdAt` cannot change). Throws `StoreError.notFound` when there is no such principal.
    @discardableResult
    func updateServicePrincipal(tenantID: String, objectID: String,
                                _ change: @Sendable (inout ServicePrincipal) throws -> Void) async throws -> ServicePrincipal
    /// Deletes the application with this client id together with its service principal, every
    /// credential (secrets, certificates, federated), the principal's group-membership edges,
    /// role assignments and app role assignments (granted to it, or of it as resource),
    /// atomically. Refresh tokens are not touched. Throws `StoreError.notFound` when there is no
    /// such application.
    func deleteApplication(tenantID: String, appID: String) async throws
}
