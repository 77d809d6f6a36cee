import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: CredentialStore {
    public func addClientSecret(_ secret: ClientSecretCredential) async throws {
        try await write { db in try Self.insert(secret, db) }
    }

    public func clientSecrets(tenantID: String, appID: String) async throws -> [ClientSecretCredential] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM client_secrets WHERE tenant_id = ? AND app_id = ? ORDER BY created_at DESC, id
                """, arguments: [tenantID, appID]).map(Self.secret(from:))
        }
    }

    public func addCertificate(_ certificate: CertificateCredential) async throws {
        try await write { db in try Self.insert(certificate, db) }
    }

    public func certificates(tenantID: String, appID: String) async throws -> [CertificateCredential] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM certificates WHERE tenant_id = ? AND app_id = ? ORDER BY created_at DESC, id
                """, arguments: [tenantID, appID]).map(Self.certificate(from:))
        }
    }

    public func replaceCredentials(tenantID: String, appID: String, secrets: [ClientSecretCredential],
                                   certificates: [CertificateCredential]) async throws {
        let owners = secrets.map { ($0.tenantID, $0.appID) } + certificates.map { ($0.tenantID, $0.appID) }
        Self.checkOwnership(owners, tenantID: tenantID, appID: appID)
        try await write { db in
            guard try Self.fetchApplication(tenantID: tenantID, appID: appID, db) != nil else {
                throw StoreError.notFound("no application \(appID) in tenant \(tenantID)")
            }
            try db.execute(sql: "DELETE FROM client_secrets WHERE tenant_id = ? AND app_id = ?",
                           arguments: [tenantID, appID])
            try db.execute(sql: "DELETE FROM certificates WHERE tenant_id = ? AND app_id = ?",
                           arguments: [tenantID, appID])
            for secret in secrets { try Self.insert(secret, db) }
            for certificate in certificates { try Self.insert(certificate, db) }
        }
    }

    public func addFederatedCredential(_ credential: FederatedIdentityCredential) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO federated_credentials (id, tenant_id, app_id, name, issuer, subject, audiences, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [credential.id, credential.tenantID, credential.appID, credential.name,
                                 credential.issuer, credential.subject, try SQLiteValues.json(credential.audiences),
                                 SQLiteValues.milliseconds(credential.createdAt)])
        }
    }

    public func federatedCredentials(tenantID: String, appID: String) async throws -> [FederatedIdentityCredential] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM federated_credentials WHERE tenant_id = ? AND app_id = ? ORDER BY name, id
                """, arguments: [tenantID, appID]).map(Self.federatedCredential(from:))
        }
    }

    public func deleteClientSecret(tenantID: String, appID: String, id: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM client_secrets WHERE tenant_id = ? AND app_id = ? AND id = ?",
                           arguments: [tenantID, appID, id])
            guard db.changesCount > 0 else {
                throw StoreError.notFound("application \(appID) in tenant \(tenantID) has no secret \(id)")
            }
        }
    }

    public func deleteCertificate(tenantID: String, appID: String, id: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM certificates WHERE tenant_id = ? AND app_id = ? AND id = ?",
                           arguments: [tenantID, appID, id])
            guard db.changesCount > 0 else {
                throw StoreError.notFound("application \(appID) in tenant \(tenantID) has no certificate \(id)")
            }
        }
    }

    public func deleteFederatedCredential(tenantID: String, appID: String, id: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM federated_credentials WHERE tenant_id = ? AND app_id = ? AND id = ?",
                           arguments: [tenantID, appID, id])
            guard db.changesCount > 0 else {
                throw StoreError.notFound("application \(appID) in tenant \(tenantID) has no federated credential \(id)")
            }
        }
    }

    // MARK: Rows

    static func insert(_ secret: ClientSecretCredential, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO client_secrets (id, tenant_id, app_id, secret_hash, hint, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [secret.id, secret.tenantID, secret.appID, SQLiteValues.blob(secret.secretHash),
                             secret.hint, SQLiteValues.milliseconds(secret.createdAt),
                             SQLiteValues.milliseconds(secret.expiresAt)])
    }

    static func insert(_ certificate: CertificateCredential, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO certificates (id, tenant_id, app_id, sha1_thumbprint, sha256_thumbprint, certificate_pem,
                not_before, not_after, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [certificate.id, certificate.tenantID, certificate.appID, certificate.sha1Thumbprint,
                             certificate.sha256Thumbprint, certificate.certificatePEM,
                             SQLiteValues.milliseconds(certificate.notBefore),
                             SQLiteValues.milliseconds(certificate.notAfter),
                             SQLiteValues.milliseconds(certificate.createdAt)])
    }

    static func secret(from row: Row) throws -> ClientSecretCredential {
        ClientSecretCredential(id: try row.string("id"), tenantID: try row.string("tenant_id"),
                               appID: try row.string("app_id"), secretHash: try row.bytes("secret_hash"),
                               hint: try row.string("hint"), createdAt: try row.date("created_at"),
                               expiresAt: try row.date("expires_at"))
    }

    static func certificate(from row: Row) throws -> CertificateCredential {
        CertificateCredential(id: try row.string("id"), tenantID: try row.string("tenant_id"),
                              appID: try row.string("app_id"), sha1Thumbprint: try row.string("sha1_thumbprint"),
                              sha256Thumbprint: try row.string("sha256_thumbprint"),
                              certificatePEM: try row.string("certificate_pem"),
                              notBefore: try row.date("not_before"), notAfter: try row.date("not_after"),
                              createdAt: try row.date("created_at"))
    }

    static func federatedCredential(from row: Row) throws -> FederatedIdentityCredential {
        FederatedIdentityCredential(id: try row.string("id"), tenantID: try row.string("tenant_id"),
                                    appID: try row.string("app_id"), name: try row.string("name"),
                                    issuer: try row.string("issuer"), subject: try row.string("subject"),
                                    audiences: try row.strings("audiences"), createdAt: try row.date("created_at"))
    }
}
