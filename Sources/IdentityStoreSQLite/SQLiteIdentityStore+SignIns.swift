import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: SignInLogStore {
    public func appendSignIns(_ records: [SignInRecord]) async throws {
        guard !records.isEmpty else { return }
        let rows = try records.map { ($0, try SignInRecordCoding.encode($0)) }
        try await write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO sign_ins (id, tenant_id, created_at, user_id, user_principal_name, app_id, error_code,
                    conditional_access_status, correlation_id, record)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (record, json) in rows {
                try insert.execute(arguments: [
                    record.id, record.resourceTenantId, SQLiteValues.milliseconds(record.createdDateTime), record.userId,
                    record.userPrincipalName, record.appId, record.status.errorCode, record.conditionalAccessStatus,
                    record.correlationId, json])
            }
        }
    }

    public func signIns(_ query: SignInQuery) async throws -> SignInPage {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func add(_ condition: String, _ values: (any DatabaseValueConvertible)?...) {
            conditions.append(condition)
            arguments.append(contentsOf: values)
        }
        if let tenantID = query.tenantID { add("tenant_id = ?", tenantID) }
        if let since = query.since { add("created_at >= ?", SQLiteValues.milliseconds(since) as Int64) }
        if let until = query.until { add("created_at <= ?", SQLiteValues.milliseconds(until) as Int64) }
        if let userID = query.userID { add("user_id = ?", userID) }
        if let upn = query.userPrincipalName { add("user_principal_name = ?", upn.lowercased()) }
        if let appID = query.appID { add("app_id = ?", appID) }
        if let code = query.errorCode { add("error_code = ?", code) }
        switch query.outcome {
        case .success?: add("error_code = 0")
        case .failure?: add("error_code <> 0")
        case nil: break
        }
        if let status = query.conditionalAccessStatus { add("conditional_access_status = ?", status) }
        if let correlationID = query.correlationID { add("correlation_id = ?", correlationID) }
        if let after = query.after {
            let milliseconds: Int64 = SQLiteValues.milliseconds(after.createdAt)
            add("(created_at < ? OR (created_at = ? AND id < ?))", milliseconds, milliseconds, after.id)
        }
        let size = query.boundedPageSize
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT record, created_at FROM sign_ins \(whereClause) ORDER BY created_at DESC, id DESC LIMIT \(size + 1)"
        let statementArguments = StatementArguments(arguments.map { $0?.databaseValue ?? .null })
        let records = try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map(Self.signIn(from:))
        }
        return SignInPage.slicing(records, pageSize: size)
    }

    public func signIn(id: String, tenantID: String?) async throws -> SignInRecord? {
        try await read { db in
            let row = try Row.fetchOne(db, sql: "SELECT record, created_at, tenant_id FROM sign_ins WHERE id = ?", arguments: [id])
            guard let row else { return nil }
            if let tenantID, try row.string("tenant_id") != tenantID { return nil }
            return try Self.signIn(from: row)
        }
    }

    public func deleteSignIns(before: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        return try await write { db in
            try db.execute(sql: """
                DELETE FROM sign_ins WHERE id IN (SELECT id FROM sign_ins WHERE created_at < ? ORDER BY created_at LIMIT ?)
                """, arguments: [SQLiteValues.milliseconds(before), limit])
            return db.changesCount
        }
    }

    static func signIn(from row: Row) throws -> SignInRecord {
        try SignInRecordCoding.decode(try row.string("record"), createdAt: try row.date("created_at"))
    }
}
