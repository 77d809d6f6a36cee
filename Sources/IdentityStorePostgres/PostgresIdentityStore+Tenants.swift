import Foundation
public import IdentityCore
internal import PostgresNIO

extension PostgresIdentityStore: TenantStore {
    public func createTenant(_ tenant: Tenant) async throws {
        // Ids are stored lower-case (the contract); the name keeps its spelling and is unique
        // ignoring case through the unique index on lower(name).
        try await directoryTransaction { connection in
            try await connection.run("""
                INSERT INTO tenants (id, name, created_at)
                VALUES (\(tenant.id.lowercased()), \(tenant.name), \(PostgresValues.timestamp(tenant.createdAt)))
                """, self.queryLogger)
        }
    }

    public func tenant(id: String) async throws -> Tenant? {
        try await read { connection in
            try await connection.row("SELECT * FROM tenants WHERE id = \(id.lowercased())", self.queryLogger)
                .map(Self.tenant(from:))
        }
    }

    public func tenant(named name: String) async throws -> Tenant? {
        try await read { connection in
            try await connection.row("SELECT * FROM tenants WHERE lower(name) = lower(\(name)::text COLLATE \"C\")",
                                     self.queryLogger).map(Self.tenant(from:))
        }
    }

    public func listTenants() async throws -> [Tenant] {
        try await read { connection in
            try await connection.rows("SELECT * FROM tenants ORDER BY lower(name), id", self.queryLogger)
                .map(Self.tenant(from:))
        }
    }

    static func tenant(from row: PostgresColumns) throws -> Tenant {
        Tenant(id: try row.string("id"), name: try row.string("name"), createdAt: try row.date("created_at"))
    }
}
