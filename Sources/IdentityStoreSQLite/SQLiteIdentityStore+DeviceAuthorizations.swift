import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: DeviceAuthorizationStore {
    public func createDeviceAuthorization(_ authorization: DeviceAuthorization) async throws {
        try await write { db in
            // A user code may be reused once the earlier authorization has expired, so no UNIQUE
            // constraint can say this; the check shares the insert's IMMEDIATE transaction, so two
            // concurrent creates with one code cannot both pass it. The code itself stays out of
            // the error: it is half of a live sign-in.
            let taken = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM device_authorizations WHERE user_code = ? AND expires_at > ?)
                """, arguments: [authorization.userCode, SQLiteValues.milliseconds(authorization.createdAt)]) ?? false
            guard !taken else {
                throw StoreError.alreadyExists("the user code belongs to an unexpired device authorization")
            }
            try Self.insert(authorization, db)
        }
    }

    public func deviceAuthorization(deviceCodeHash: [UInt8]) async throws -> DeviceAuthorization? {
        try await read { db in try Self.fetchDeviceAuthorization(deviceCodeHash: deviceCodeHash, db) }
    }

    public func deviceAuthorization(userCode: String) async throws -> DeviceAuthorization? {
        try await read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM device_authorizations WHERE user_code = ? ORDER BY created_at DESC, rowid DESC LIMIT 1
                """, arguments: [userCode]).map(Self.deviceAuthorization(from:))
        }
    }

    @discardableResult
    public func updateDeviceAuthorization(deviceCodeHash: [UInt8],
                                          _ change: @Sendable (inout DeviceAuthorization) throws -> Void) async throws -> DeviceAuthorization {
        // One IMMEDIATE transaction from the read to the write: a poll and an approval of the same
        // authorization (from any instance on this file) run one after the other.
        try await write { db in
            guard let old = try Self.fetchDeviceAuthorization(deviceCodeHash: deviceCodeHash, db) else {
                throw StoreError.notFound("no device authorization with this device code")
            }
            var new = old
            try change(&new)
            new.deviceCodeHash = old.deviceCodeHash
            new.userCode = old.userCode
            guard new != old else { return old }
            try db.execute(sql: """
                UPDATE device_authorizations SET tenant_id = ?, client_id = ?, scope = ?, resource = ?,
                    endpoint_version = ?, created_at = ?, expires_at = ?, interval_seconds = ?, last_polled_at = ?,
                    state = ?, user_object_id = ?, authenticated_at = ?, authentication_methods = ?,
                    request_address = ?, correlation_id = ?
                WHERE device_code_hash = ?
                """, arguments: [new.tenantID, new.clientID, new.scope, new.resource, new.endpointVersion,
                                 SQLiteValues.milliseconds(new.createdAt), SQLiteValues.milliseconds(new.expiresAt),
                                 new.interval, SQLiteValues.milliseconds(new.lastPolledAt), new.state.rawValue,
                                 new.userObjectID, SQLiteValues.milliseconds(new.authenticatedAt),
                                 try SQLiteValues.json(new.authenticationMethods), new.requestAddress,
                                 new.correlationID, SQLiteValues.blob(deviceCodeHash)])
            return new
        }
    }

    public func deleteExpiredDeviceAuthorizations(now: Date, limit: Int) async throws -> Int {
        // SQLite reads a negative LIMIT as "no limit"; the contract says at most `limit`.
        guard limit > 0 else { return 0 }
        return try await write { db in
            try db.execute(sql: """
                DELETE FROM device_authorizations WHERE rowid IN (
                    SELECT rowid FROM device_authorizations WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)
                """, arguments: [SQLiteValues.milliseconds(now), limit])
            return db.changesCount
        }
    }

    // MARK: Rows

    static func fetchDeviceAuthorization(deviceCodeHash: [UInt8], _ db: Database) throws -> DeviceAuthorization? {
        try Row.fetchOne(db, sql: "SELECT * FROM device_authorizations WHERE device_code_hash = ?",
                         arguments: [SQLiteValues.blob(deviceCodeHash)]).map(deviceAuthorization(from:))
    }

    static func insert(_ authorization: DeviceAuthorization, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO device_authorizations (device_code_hash, user_code, tenant_id, client_id, scope, resource,
                endpoint_version, created_at, expires_at, interval_seconds, last_polled_at, state, user_object_id,
                authenticated_at, authentication_methods, request_address, correlation_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [SQLiteValues.blob(authorization.deviceCodeHash), authorization.userCode,
                             authorization.tenantID, authorization.clientID, authorization.scope,
                             authorization.resource, authorization.endpointVersion,
                             SQLiteValues.milliseconds(authorization.createdAt),
                             SQLiteValues.milliseconds(authorization.expiresAt), authorization.interval,
                             SQLiteValues.milliseconds(authorization.lastPolledAt), authorization.state.rawValue,
                             authorization.userObjectID, SQLiteValues.milliseconds(authorization.authenticatedAt),
                             try SQLiteValues.json(authorization.authenticationMethods), authorization.requestAddress,
                             authorization.correlationID])
    }

    static func deviceAuthorization(from row: Row) throws -> DeviceAuthorization {
        DeviceAuthorization(deviceCodeHash: try row.bytes("device_code_hash"), userCode: try row.string("user_code"),
                            tenantID: try row.string("tenant_id"), clientID: try row.string("client_id"),
                            scope: try row.string("scope"), resource: try row.string("resource"),
                            endpointVersion: try row.string("endpoint_version"),
                            createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"),
                            interval: try row.int("interval_seconds"),
                            lastPolledAt: try row.optionalDate("last_polled_at"),
                            state: try row.rawValue("state", as: DeviceAuthorization.State.self),
                            userObjectID: try row.optionalString("user_object_id"),
                            authenticatedAt: try row.optionalDate("authenticated_at"),
                            authenticationMethods: try row.strings("authentication_methods"),
                            requestAddress: try row.string("request_address"),
                            correlationID: try row.optionalString("correlation_id"))
    }
}
