import Foundation
public import IdentityCore
internal import Logging
internal import PostgresNIO

extension PostgresIdentityStore: DeviceAuthorizationStore {
    public func createDeviceAuthorization(_ authorization: DeviceAuthorization) async throws {
        try await transaction { connection in
            // "Unique among live authorizations" depends on time, so no index can say it: an
            // advisory lock on the user code serialises concurrent creations with the same code
            // (across instances) between the check and the insert.
            try await connection.run("""
                SELECT pg_advisory_xact_lock(hashtext('kubeid.user_code'), hashtext(\(authorization.userCode)))
                """, self.queryLogger)
            if try await connection.row("""
                SELECT 1 AS present FROM device_authorizations
                WHERE user_code = \(authorization.userCode)
                    AND expires_at > \(PostgresValues.timestamp(authorization.createdAt))
                LIMIT 1
                """, self.queryLogger) != nil {
                // The code itself stays out of the error: it is half of a live sign-in.
                throw StoreError.alreadyExists("the user code belongs to an unexpired device authorization")
            }
            try await connection.run("""
                INSERT INTO device_authorizations (device_code_hash, user_code, tenant_id, client_id, scope, resource,
                    endpoint_version, created_at, expires_at, interval_seconds, last_polled_at, state, user_object_id,
                    authenticated_at, authentication_methods, request_address, correlation_id)
                VALUES (\(PostgresValues.bytes(authorization.deviceCodeHash)), \(authorization.userCode),
                    \(authorization.tenantID), \(authorization.clientID), \(authorization.scope),
                    \(authorization.resource), \(authorization.endpointVersion),
                    \(PostgresValues.timestamp(authorization.createdAt)), \(PostgresValues.timestamp(authorization.expiresAt)),
                    \(authorization.interval), \(PostgresValues.timestamp(authorization.lastPolledAt)),
                    \(authorization.state.rawValue), \(authorization.userObjectID),
                    \(PostgresValues.timestamp(authorization.authenticatedAt)), \(authorization.authenticationMethods),
                    \(authorization.requestAddress), \(authorization.correlationID))
                """, self.queryLogger)
        }
    }

    public func deviceAuthorization(deviceCodeHash: [UInt8]) async throws -> DeviceAuthorization? {
        try await read { connection in
            try await Self.fetchDeviceAuthorization(deviceCodeHash, lock: false, connection, self.queryLogger)
        }
    }

    public func deviceAuthorization(userCode: String) async throws -> DeviceAuthorization? {
        try await read { connection in
            try await connection.row("""
                SELECT * FROM device_authorizations WHERE user_code = \(userCode)
                ORDER BY created_at DESC, seq DESC LIMIT 1
                """, self.queryLogger).map(Self.deviceAuthorization(from:))
        }
    }

    @discardableResult
    public func updateDeviceAuthorization(
        deviceCodeHash: [UInt8], _ change: @Sendable (inout DeviceAuthorization) throws -> Void
    ) async throws -> DeviceAuthorization {
        try await withoutActuallyEscaping(change) { change in
            try await transaction { connection in
                guard let old = try await Self.fetchDeviceAuthorization(deviceCodeHash, lock: true, connection,
                                                                        self.queryLogger) else {
                    throw StoreError.notFound("no such device authorization")
                }
                var new = old
                try change(&new)
                new.deviceCodeHash = old.deviceCodeHash
                new.userCode = old.userCode
                guard new != old else { return old }
                try await connection.run("""
                    UPDATE device_authorizations SET tenant_id = \(new.tenantID),
                        client_id = \(new.clientID), scope = \(new.scope), resource = \(new.resource),
                        endpoint_version = \(new.endpointVersion), created_at = \(PostgresValues.timestamp(new.createdAt)),
                        expires_at = \(PostgresValues.timestamp(new.expiresAt)), interval_seconds = \(new.interval),
                        last_polled_at = \(PostgresValues.timestamp(new.lastPolledAt)), state = \(new.state.rawValue),
                        user_object_id = \(new.userObjectID),
                        authenticated_at = \(PostgresValues.timestamp(new.authenticatedAt)),
                        authentication_methods = \(new.authenticationMethods), request_address = \(new.requestAddress),
                        correlation_id = \(new.correlationID)
                    WHERE device_code_hash = \(PostgresValues.bytes(deviceCodeHash))
                    """, self.queryLogger)
                return new
            }
        }
    }

    public func deleteExpiredDeviceAuthorizations(now: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        return try await read { connection in
            try await connection.count("""
                WITH doomed AS (
                    SELECT device_code_hash FROM device_authorizations
                    WHERE expires_at <= \(PostgresValues.timestamp(now))
                    ORDER BY expires_at LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                deleted AS (
                    DELETE FROM device_authorizations AS rows USING doomed
                    WHERE rows.device_code_hash = doomed.device_code_hash RETURNING 1)
                SELECT count(*) AS count FROM deleted
                """, self.queryLogger)
        }
    }

    static func fetchDeviceAuthorization(_ hash: [UInt8], lock: Bool, _ connection: PostgresConnection,
                                         _ logger: Logger) async throws -> DeviceAuthorization? {
        let query: PostgresQuery = lock
            ? "SELECT * FROM device_authorizations WHERE device_code_hash = \(PostgresValues.bytes(hash)) FOR UPDATE"
            : "SELECT * FROM device_authorizations WHERE device_code_hash = \(PostgresValues.bytes(hash))"
        return try await connection.row(query, logger).map(deviceAuthorization(from:))
    }

    static func deviceAuthorization(from row: PostgresColumns) throws -> DeviceAuthorization {
        let stateName = try row.string("state")
        guard let state = DeviceAuthorization.State(rawValue: stateName) else {
            throw StoreError.invalidData("unknown device authorization state \(stateName)")
        }
        return DeviceAuthorization(
            deviceCodeHash: try row.bytes("device_code_hash"), userCode: try row.string("user_code"),
            tenantID: try row.string("tenant_id"), clientID: try row.string("client_id"), scope: try row.string("scope"),
            resource: try row.string("resource"), endpointVersion: try row.string("endpoint_version"),
            createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"), interval: try row.int("interval_seconds"),
            lastPolledAt: try row.optionalDate("last_polled_at"), state: state,
            userObjectID: try row.optionalString("user_object_id"), authenticatedAt: try row.optionalDate("authenticated_at"),
            authenticationMethods: try row.strings("authentication_methods"),
            requestAddress: try row.string("request_address"), correlationID: try row.optionalString("correlation_id"))
    }
}
