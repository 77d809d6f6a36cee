import Foundation
public import IdentityCore
internal import Logging
internal import PostgresNIO

extension PostgresIdentityStore: CredentialStore {
    public func addClientSecret(_ secret: ClientSecretCredential) async throws {
        try await directoryTransaction { connection in try await Self.insert(secret, connection, self.queryLogger) }
    }

    public func clientSecrets(tenantID: String, appID: String) async throws -> [ClientSecretCredential] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM client_secrets WHERE tenant_id = \(tenantID) AND app_id = \(appID)
                ORDER BY created_at DESC, id
                """, self.queryLogger).map(Self.secret(from:))
        }
    }

    public func addCertificate(_ certificate: CertificateCredential) async throws {
        try await directoryTransaction { connection in try await Self.insert(certificate, connection, self.queryLogger) }
    }

    public func certificates(tenantID: String, appID: String) async throws -> [CertificateCredential] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM certificates WHERE tenant_id = \(tenantID) AND app_id = \(appID)
                ORDER BY created_at DESC, id
                """, self.queryLogger).map(Self.certificate(from:))
        }
    }

    public func replaceCredentials(tenantID: String, appID: String, secrets: [ClientSecretCredential],
                                   certificates: [CertificateCredential]) async throws {
        let owners = secrets.map { ($0.tenantID, $0.appID) } + certificates.map { ($0.tenantID, $0.appID) }
        Self.checkOwnership(owners, tenantID: tenantID, appID: appID)
        try await directoryTransaction { connection in
            // Locks the application, so it cannot be deleted or replaced half-way.
            guard try await Self.fetchApplication(tenantID: tenantID, appID: appID, lock: true, connection,
                                                  self.queryLogger) != nil else {
                throw StoreError.notFound("no application \(appID) in tenant \(tenantID)")
            }
            try await connection.run("DELETE FROM client_secrets WHERE tenant_id = \(tenantID) AND app_id = \(appID)",
                                     self.queryLogger)
            try await connection.run("DELETE FROM certificates WHERE tenant_id = \(tenantID) AND app_id = \(appID)",
                                     self.queryLogger)
            for secret in secrets { try await Self.insert(secret, connection, self.queryLogger) }
            for certificate in certificates { try await Self.insert(certificate, connection, self.queryLogger) }
        }
    }

    public func addFederatedCredential(_ credential: FederatedIdentityCredential) async throws {
        try await directoryTransaction { connection in
            try await connection.run("""
                INSERT INTO federated_credentials (id, tenant_id, app_id, name, issuer, subject, audiences, created_at)
                VALUES (\(credential.id), \(credential.tenantID), \(credential.appID), \(credential.name),
                    \(credential.issuer), \(credential.subject), \(credential.audiences),
                    \(PostgresValues.timestamp(credential.createdAt)))
                """, self.queryLogger)
        }
    }

    public func federatedCredentials(tenantID: String, appID: String) async throws -> [FederatedIdentityCredential] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM federated_credentials WHERE tenant_id = \(tenantID) AND app_id = \(appID) ORDER BY name, id
                """, self.queryLogger).map(Self.federatedCredential(from:))
        }
    }

    public func deleteClientSecret(tenantID: String, appID: String, id: String) async throws {
        try await directoryTransaction { connection in
            let deleted = try await connection.changes("""
                DELETE FROM client_secrets WHERE tenant_id = \(tenantID) AND app_id = \(appID) AND id = \(id) RETURNING 1
                """, self.queryLogger)
            guard deleted > 0 else {
                throw StoreError.notFound("application \(appID) in tenant \(tenantID) has no secret \(id)")
            }
        }
    }

    public func deleteCertificate(tenantID: String, appID: String, id: String) async throws {
        try await directoryTransaction { connection in
            let deleted = try await connection.changes("""
                DELETE FROM certificates WHERE tenant_id = \(tenantID) AND app_id = \(appID) AND id = \(id) RETURNING 1
                """, self.queryLogger)
            guard deleted > 0 else {
                throw StoreError.notFound("application \(appID) in tenant \(tenantID) has no certificate \(id)")
            }
        }
    }

    public func deleteFederatedCredential(tenantID: String, appID: String, id: String) async throws {
        try await directoryTransaction { connection in
            let deleted = try await connection.changes("""
                DELETE FROM federated_credentials WHERE tenant_id = \(tenantID) AND app_id = \(appID) AND id = \(id)
                RETURNING 1
                """, self.queryLogger)
            guard deleted > 0 else {
                throw StoreError.notFound("application \(appID) in tenant \(tenantID) has no federated credential \(id)")
            }
        }
    }

    // MARK: Rows

    static func insert(_ secret: ClientSecretCredential, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.run("""
            INSERT INTO client_secrets (id, tenant_id, app_id, secret_hash, hint, created_at, expires_at)
            VALUES (\(secret.id), \(secret.tenantID), \(secret.appID), \(PostgresValues.bytes(secret.secretHash)),
                \(secret.hint), \(PostgresValues.timestamp(secret.createdAt)), \(PostgresValues.timestamp(secret.expiresAt)))
            """, logger)
    }

    static func insert(_ certificate: CertificateCredential, _ connection: PostgresConnection,
                       _ logger: Logger) async throws {
        try await connection.run("""
            INSERT INTO certificates (id, tenant_id, app_id, sha1_thumbprint, sha256_thumbprint, certificate_pem,
                not_before, not_after, created_at)
            VALUES (\(certificate.id), \(certificate.tenantID), \(certificate.appID), \(certificate.sha1Thumbprint),
                \(certificate.sha256Thumbprint), \(certificate.certificatePEM),
                \(PostgresValues.timestamp(certificate.notBefore)), \(PostgresValues.timestamp(certificate.notAfter)),
                \(PostgresValues.timestamp(certificate.createdAt)))
            """, logger)
    }

    static func secret(from row: PostgresColumns) throws -> ClientSecretCredential {
        ClientSecretCredential(id: try row.string("id"), tenantID: try row.string("tenant_id"),
                               appID: try row.string("app_id"), secretHash: try row.bytes("secret_hash"),
                               hint: try row.string("hint"), createdAt: try row.date("created_at"),
                               expiresAt: try row.date("expires_at"))
    }

    static func certificate(from row: PostgresColumns) throws -> CertificateCredential {
        CertificateCredential(id: try row.string("id"), tenantID: try row.string("tenant_id"),
                              appID: try row.string("app_id"), sha1Thumbprint: try row.string("sha1_thumbprint"),
                              sha256Thumbprint: try row.string("sha256_thumbprint"),
                              certificatePEM: try row.string("certificate_pem"),
                              notBefore: try row.date("not_before"), notAfter: try row.date("not_after"),
                              createdAt: try row.date("created_at"))
    }

    static func federatedCredential(from row: PostgresColumns) throws -> FederatedIdentityCredential {
        FederatedIdentityCredential(id: try row.string("id"), tenantID: try row.string("tenant_id"),
                                    appID: try row.string("app_id"), name: try row.string("name"),
                                    issuer: try row.string("issuer"), subject: try row.string("subject"),
                                    audiences: try row.strings("audiences"), createdAt: try row.date("created_at"))
    }
}
