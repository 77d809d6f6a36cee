import Cryptography
import Foundation

/// What `app create` and `sp create-for-rbac` register, and what they print.
public struct ServicePrincipalRegistration: Sendable {
    public var application: Application
    public var servicePrincipal: ServicePrincipal
    public var tenant: Tenant
    /// The generated secret: shown once, never stored in clear.
    public var password: String?
    /// Where the generated private key + certificate PEM was written (`--create-cert`).
    public var certificateFile: String?
}

/// How a new or reset service principal authenticates.
public enum CredentialRequest: Sendable {
    /// Generate a 256-bit secret.
    case secret
    /// Generate a key pair and a self-signed certificate, write both (PEM) into `directory`.
    case newCertificate(directory: String)
    /// Register an existing certificate (PEM; a private key in the same file is ignored).
    case certificate(pem: String)
}

extension DirectoryAdministration {
    static let secretLifetime: TimeInterval = 365 * 24 * 3600
    static let certificateLifetime: TimeInterval = 365 * 24 * 3600

    /// Registers an application and its service principal (a resource or client app).
    public func createApplication(tenant idOrName: String, displayName: String, appID: String? = nil,
                                  identifierURIs: [String] = [], accessTokenVersion: Int = 2,
                                  isPublicClient: Bool = false, redirectURIs: [String] = [],
                                  exposedScopes: [String] = []) async throws -> (Application, ServicePrincipal) {
        let tenant = try await tenant(idOrName)
        guard [1, 2].contains(accessTokenVersion) else {
            throw AdministrationError.invalidArgument("\(field: "accessTokenVersion") must be 1 or 2")
        }
        let resolvedAppID: String
        if let appID {
            guard let canonical = ObjectID.canonical(appID) else {
                throw AdministrationError.invalidArgument("\(field: "appId") '\(appID)' is not a GUID")
            }
            resolvedAppID = canonical
        } else {
            resolvedAppID = ObjectID.make()
        }
        for uri in identifierURIs where !IdentifierURI.isValid(uri) {
            throw AdministrationError.invalidArgument("\(field: "identifierUri") '\(uri)' must be an absolute URI such as api://name")
        }
        try Self.checkRedirectURIs(redirectURIs)
        for uri in identifierURIs where try await store.application(tenantID: tenant.id, identifierURI: uri) != nil {
            throw AdministrationError.alreadyExists("identifier URI '\(uri)' is already used by another application")
        }
        let now = clock.now()
        let application = Application(tenantID: tenant.id, appID: resolvedAppID, objectID: ObjectID.make(),
                                      displayName: displayName, identifierURIs: identifierURIs,
                                      accessTokenVersion: accessTokenVersion, isPublicClient: isPublicClient,
                                      exposedScopes: exposedScopes, redirectURIs: redirectURIs, createdAt: now)
        let principal = ServicePrincipal(tenantID: tenant.id, objectID: ObjectID.make(), appID: resolvedAppID,
                                         displayName: displayName, createdAt: now)
        do {
            try await store.createApplication(application, servicePrincipal: principal, secrets: [], certificates: [])
        } catch let error as StoreError where error.code == .alreadyExists {
            throw AdministrationError.alreadyExists("an application with app id '\(resolvedAppID)' already exists in tenant '\(tenant.name)'")
        }
        await recordChange("application.created", tenantID: tenant.id, subject: application.appID,
                           details: ["displayName": displayName, "servicePrincipal": principal.objectID])
        return (application, principal)
    }

    /// `az ad sp create-for-rbac`: an application, its service principal and one credential.
    public func createServicePrincipalForRBAC(tenant idOrName: String, name: String,
                                              credential: CredentialRequest) async throws -> ServicePrincipalRegistration {
        let tenant = try await tenant(idOrName)
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 120 else {
            throw AdministrationError.invalidArgument("\(field: "name") must be 1-120 characters")
        }
        let now = clock.now()
        let appID = ObjectID.make()
        let application = Application(tenantID: tenant.id, appID: appID, objectID: ObjectID.make(),
                                      displayName: trimmed, accessTokenVersion: 2, createdAt: now)
        let principal = ServicePrincipal(tenantID: tenant.id, objectID: ObjectID.make(), appID: appID,
                                         displayName: trimmed, createdAt: now)
        let issued = try makeCredential(credential, tenantID: tenant.id, appID: appID, name: trimmed, now: now)
        try await store.createApplication(application, servicePrincipal: principal,
                                          secrets: issued.secrets, certificates: issued.certificates)
        await recordChange("application.created", tenantID: tenant.id, subject: appID,
                           details: ["displayName": trimmed, "servicePrincipal": principal.objectID,
                                     "credential": issued.password == nil ? "certificate" : "secret"])
        return ServicePrincipalRegistration(application: application, servicePrincipal: principal, tenant: tenant,
                                            password: issued.password, certificateFile: issued.file)
    }

    /// `az ad sp credential reset`: replaces every secret and certificate with one new credential.
    public func resetCredential(tenant idOrName: String, appID: String,
                                credential: CredentialRequest) async throws -> ServicePrincipalRegistration {
        let tenant = try await tenant(idOrName)
        let (application, principal) = try await requireServicePrincipal(tenantID: tenant.id, id: appID)
        let issued = try makeCredential(credential, tenantID: tenant.id, appID: application.appID,
                                        name: application.displayName, now: clock.now())
        try await store.replaceCredentials(tenantID: tenant.id, appID: application.appID,
                                           secrets: issued.secrets, certificates: issued.certificates)
        await recordChange("application.credential-reset", tenantID: tenant.id, subject: application.appID,
                           details: ["credential": issued.password == nil ? "certificate" : "secret"])
        return ServicePrincipalRegistration(application: application, servicePrincipal: principal, tenant: tenant,
                                            password: issued.password, certificateFile: issued.file)
    }

    /// Trusts tokens from an external issuer (workload identity) for this application.
    public func createFederatedCredential(tenant idOrName: String, appID: String, name: String?, issuer: String,
                                          subject: String, audiences: [String]) async throws -> FederatedIdentityCredential {
        let tenant = try await tenant(idOrName)
        let (application, _) = try await requireServicePrincipal(tenantID: tenant.id, id: appID)
        guard let url = URL(string: issuer), url.scheme == "https", url.host != nil else {
            throw AdministrationError.invalidArgument("\(field: "issuer") must be an https URL (the external issuer's `iss`)")
        }
        guard !subject.isEmpty, !audiences.isEmpty, audiences.allSatisfy({ !$0.isEmpty }) else {
            throw AdministrationError.invalidArgument("\(field: "subject") and \(field: "audience") must not be empty")
        }
        let credential = FederatedIdentityCredential(
            id: ObjectID.make(), tenantID: tenant.id, appID: application.appID,
            name: name ?? "fic-\(ObjectID.make().prefix(8))", issuer: issuer, subject: subject,
            audiences: audiences, createdAt: clock.now())
        do {
            try await store.addFederatedCredential(credential)
        } catch let error as StoreError where error.code == .alreadyExists {
            throw AdministrationError.alreadyExists("app '\(application.appID)' already has a federated credential with this name or issuer and subject")
        }
        await recordChange("application.federated-credential-created", tenantID: tenant.id, subject: application.appID,
                           details: ["name": credential.name, "issuer": issuer, "subject": subject])
        return credential
    }

    public func listFederatedCredentials(tenant idOrName: String, appID: String) async throws -> [FederatedIdentityCredential] {
        let tenant = try await tenant(idOrName)
        let (application, _) = try await requireServicePrincipal(tenantID: tenant.id, id: appID)
        return try await store.federatedCredentials(tenantID: tenant.id, appID: application.appID)
    }

    public func listServicePrincipals(tenant idOrName: String) async throws -> [ServicePrincipal] {
        let tenant = try await tenant(idOrName)
        return try await store.listServicePrincipals(tenantID: tenant.id)
    }

    public func listApplications(tenant idOrName: String) async throws -> [Application] {
        let tenant = try await tenant(idOrName)
        return try await store.listApplications(tenantID: tenant.id)
    }

    /// The service principal whose app id *or* object id is `id`, with its application.
    public func servicePrincipal(tenant idOrName: String, id: String) async throws -> (Application, ServicePrincipal) {
        let tenant = try await tenant(idOrName)
        return try await requireServicePrincipal(tenantID: tenant.id, id: id)
    }

    public func credentials(tenant idOrName: String, appID: String) async throws
        -> (secrets: [ClientSecretCredential], certificates: [CertificateCredential]) {
        let tenant = try await tenant(idOrName)
        let (application, _) = try await requireServicePrincipal(tenantID: tenant.id, id: appID)
        return (try await store.clientSecrets(tenantID: tenant.id, appID: application.appID),
                try await store.certificates(tenantID: tenant.id, appID: application.appID))
    }

    // MARK: Private

    func requireServicePrincipal(tenantID: String, id: String) async throws -> (Application, ServicePrincipal) {
        if let canonical = ObjectID.canonical(id) {
            var principal = try await store.servicePrincipal(tenantID: tenantID, appID: canonical)
            if principal == nil { principal = try await store.servicePrincipal(tenantID: tenantID, objectID: canonical) }
            if let principal,
               let application = try await store.application(tenantID: tenantID, appID: principal.appID) {
                return (application, principal)
            }
        }
        throw AdministrationError.notFound("service principal '\(id)' not found (give its appId or object id)")
    }

    private struct IssuedCredential {
        var secrets: [ClientSecretCredential] = []
        var certificates: [CertificateCredential] = []
        var password: String?
        var file: String?
    }

    private func makeCredential(_ request: CredentialRequest, tenantID: String, appID: String, name: String,
                                now: Date) throws -> IssuedCredential {
        switch request {
        case .secret:
            let secret = SecretHasher.generateSecret()
            let stored = ClientSecretCredential(id: ObjectID.make(), tenantID: tenantID, appID: appID,
                                                secretHash: hasher.hash(secret), hint: String(secret.prefix(3)),
                                                createdAt: now, expiresAt: now.addingTimeInterval(Self.secretLifetime))
            return IssuedCredential(secrets: [stored], password: secret)
        case .newCertificate(let directory):
            let key = try PrivateKey.generateRSA(bits: 2048)
            let certificate = try Certificate.selfSigned(commonName: name, key: key, validFor: Self.certificateLifetime)
            let file = try CredentialFileWriter.write(privateKeyPEM: key.pemPKCS8, certificatePEM: certificate.pem,
                                                      directory: directory)
            return IssuedCredential(certificates: [certificateCredential(certificate, tenantID: tenantID, appID: appID, now: now)],
                                    file: file)
        case .certificate(let pem):
            let certificate: Certificate
            do {
                guard let first = try Certificate.parseAll(pem: pem).first else {
                    throw AdministrationError.invalidArgument("\(field: "certificate") holds no PEM certificate")
                }
                certificate = first
            } catch let error as AdministrationError {
                throw error
            } catch {
                throw AdministrationError.invalidArgument("\(field: "certificate") is not a valid PEM certificate: \(error)")
            }
            return IssuedCredential(certificates: [certificateCredential(certificate, tenantID: tenantID, appID: appID, now: now)])
        }
    }

    private func certificateCredential(_ certificate: Certificate, tenantID: String, appID: String,
                                       now: Date) -> CertificateCredential {
        CertificateCredential(id: ObjectID.make(), tenantID: tenantID, appID: appID,
                              sha1Thumbprint: Thumbprint.hex(certificate.sha1Thumbprint),
                              sha256Thumbprint: Thumbprint.hex(certificate.sha256Thumbprint),
                              certificatePEM: certificate.pem, notBefore: certificate.notBefore,
                              notAfter: certificate.notAfter, createdAt: now)
    }
}
