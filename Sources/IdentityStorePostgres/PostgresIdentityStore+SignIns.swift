import Foundation
public import IdentityCore
internal import PostgresNIO

extension PostgresIdentityStore: SignInLogStore {
    public func appendSignIns(_ records: [SignInRecord]) async throws {
        guard !records.isEmpty else { return }
        let rows = try records.map { ($0, try SignInRecordCoding.encode($0)) }
        try await transaction { connection in
            for (record, json) in rows {
                try await connection.run("""
                    INSERT INTO sign_ins (id, tenant_id, created_at, user_id, user_principal_name, app_id, error_code,
                        conditional_access_status, correlation_id, record)
                    VALUES (\(record.id), \(record.resourceTenantId), \(PostgresValues.timestamp(record.createdDateTime)),
                        \(record.userId), \(record.userPrincipalName), \(record.appId), \(record.status.errorCode),
                        \(record.conditionalAccessStatus), \(record.correlationId), \(json))
                    """, self.queryLogger)
            }
        }
    }

    public func signIns(_ query: SignInQuery) async throws -> SignInPage {
        var conditions: [String] = []
        var bindings = PostgresBindings()
        func placeholder() -> String { "$\(bindings.count)" }
        func add(_ condition: (String) -> String, _ value: String) {
            bindings.append(value)
            conditions.append(condition(placeholder()))
        }
        func add(_ condition: (String) -> String, _ value: PostgresTimestamp) {
            bindings.append(value)
            conditions.append(condition(placeholder()))
        }
        func add(_ condition: (String) -> String, _ value: Int) {
            bindings.append(value)
            conditions.append(condition(placeholder()))
        }
        if let tenantID = query.tenantID { add({ "tenant_id = \($0)" }, tenantID) }
        if let since = query.since { add({ "created_at >= \($0)" }, PostgresValues.timestamp(since)) }
        if let until = query.until { add({ "created_at <= \($0)" }, PostgresValues.timestamp(until)) }
        if let userID = query.userID { add({ "user_id = \($0)" }, userID) }
        if let upn = query.userPrincipalName { add({ "user_principal_name = \($0)" }, upn.lowercased()) }
        if let appID = query.appID { add({ "app_id = \($0)" }, appID) }
        if let code = query.errorCode { add({ "error_code = \($0)" }, code) }
        switch query.outcome {
        case .success?: conditions.append("error_code = 0")
        case .failure?: conditions.append("error_code <> 0")
        case nil: break
        }
        if let status = query.conditionalAccessStatus { add({ "conditional_access_status = \($0)" }, status) }
        if let correlationID = query.correlationID { add({ "correlation_id = \($0)" }, correlationID) }
        if let after = query.after {
            bindings.append(PostgresValues.timestamp(after.createdAt))
            let time = placeholder()
            bindings.append(after.id)
            conditions.append("(created_at < \(time) OR (created_at = \(time) AND id < \(placeholder())))")
        }
        let size = query.boundedPageSize
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT record, created_at FROM sign_ins \(whereClause) ORDER BY created_at DESC, id DESC LIMIT \(size + 1)"
        let statement = PostgresQuery(unsafeSQL: sql, binds: bindings)
        let records = try await read { connection in
            try await connection.rows(statement, self.queryLogger).map(Self.signIn(from:))
        }
        return SignInPage.slicing(records, pageSize: size)
    }

    public func signIn(id: String, tenantID: String?) async throws -> SignInRecord? {
        try await read { connection in
            guard let row = try await connection.row("SELECT record, created_at, tenant_id FROM sign_ins WHERE id = \(id)",
                                                     self.queryLogger) else { return nil }
            if let tenantID, try row.string("tenant_id") != tenantID { return nil }
            return try Self.signIn(from: row)
        }
    }

    public func deleteSignIns(before: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        return try await read { connection in
            try await connection.count("""
                WITH doomed AS (
                    SELECT id FROM sign_ins WHERE created_at < \(PostgresValues.timestamp(before))
                    ORDER BY created_at LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                deleted AS (
                    DELETE FROM sign_ins USING doomed WHERE sign_ins.id = doomed.id RETURNING 1)
                SELECT count(*) AS count FROM deleted
                """, self.queryLogger)
        }
    }

    static func signIn(from row: PostgresColumns) throws -> SignInRecord {
        try SignInRecordCoding.decode(try row.string("record"), createdAt: try row.date("created_at"))
    }
}
