import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: TenantStore {
    public func createTenant(_ tenant: Tenant) async throws {
        try await write { db in
            // Ids are stored lower-case (the contract); the name keeps its spelling and is
            // unique ignoring case through the column's NOCASE collation.
            try db.execute(
                sql: "INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)",
                arguments: [tenant.id.lowercased(), tenant.name, SQLiteValues.milliseconds(tenant.createdAt)])
        }
    }

    public func tenant(id: String) async throws -> Tenant? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tenants WHERE id = ?", arguments: [id.lowercased()])
                .map(Self.tenant(from:))
        }
    }

    public func tenant(named name: String) async throws -> Tenant? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tenants WHERE name = ?", arguments: [name])
                .map(Self.tenant(from:))
        }
    }

    public func listTenants() async throws -> [Tenant] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tenants ORDER BY name, id").map(Self.tenant(from:))
        }
    }

    static func tenant(from row: Row) throws -> Tenant {
        Tenant(id: try row.string("id"), name: try row.string("name"), createdAt: try row.date("created_at"))
    }
}
