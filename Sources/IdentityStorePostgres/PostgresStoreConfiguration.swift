import Foundation
import IdentityCore

/// Where and how the PostgreSQL store connects, parsed from a libpq-style URL so operators can
/// reuse what they give `psql`:
///
/// ```
/// postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require&schema=kubeid&pool_max=20]
/// ```
///
/// - `sslmode`: `disable`, `prefer` (the default, as libpq), `require` or `verify-full`. `require`
///   and `verify-full` both verify the server certificate against the system trust store and
///   the host name (PostgresNIO has no "encrypt but don't verify" mode).
/// - `schema`: the schema kubeid's tables live in (created if missing; default `public`).
///   Lets several issuers, or tests, share one database.
/// - `pool_max`: connections each instance may open (default 20).
/// - `connect_timeout`: seconds a request waits for a connection before it fails with
///   ``StoreError/unavailable`` (default 5).
/// - `application_name`: shown in `pg_stat_activity` (default `kubeid`).
///
/// The password may also come from `PGPASSWORD`; the URL wins.
public struct PostgresStoreConfiguration: Sendable, Hashable {
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var schema: String
    public var tlsMode: TLSMode
    public var maximumConnections: Int
    /// How long an operation waits for a pooled connection before it fails with `unavailable`.
    public var connectionTimeout: TimeInterval
    public var applicationName: String

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String,
                schema: String = "public", tlsMode: TLSMode = .prefer, maximumConnections: Int = 20,
                connectionTimeout: TimeInterval = 5, applicationName: String = "kubeid") {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.schema = schema
        self.tlsMode = tlsMode
        self.maximumConnections = maximumConnections
        self.connectionTimeout = connectionTimeout
        self.applicationName = applicationName
    }

    /// True for the URLs this store takes (`postgres://` and `postgresql://`).
    public static func isPostgresURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` URL. Throws ``StoreError/invalidData`` naming what is wrong (never
    /// echoing the password).
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isPostgresURL(text), let url = URLComponents(string: text) else {
            throw StoreError.invalidData("database URL must look like postgres://USER@HOST:PORT/DATABASE")
        }
        guard let host = url.host, !host.isEmpty else {
            throw StoreError.invalidData("database URL has no host")
        }
        guard let user = url.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw StoreError.invalidData("database URL has no user (postgres://USER@HOST/DATABASE)")
        }
        let database = String(url.path.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError.invalidData("database URL has no database name (postgres://USER@HOST/DATABASE)")
        }
        self.init(host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port: url.port ?? 5432,
                  user: user,
                  password: url.password.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"],
                  database: database)
        for item in url.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw StoreError.invalidData("sslmode must be one of disable, prefer, require, verify-full")
                }
                tlsMode = mode
            case "schema", "search_path":
                schema = value
            case "pool_max":
                guard let count = Int(value), (1...1000).contains(count) else {
                    throw StoreError.invalidData("pool_max must be a number between 1 and 1000")
                }
                maximumConnections = count
            case "connect_timeout":
                guard let seconds = TimeInterval(value), seconds > 0, seconds <= 600 else {
                    throw StoreError.invalidData("connect_timeout must be a number of seconds between 0 and 600")
                }
                connectionTimeout = seconds
            case "application_name":
                applicationName = value
            default:
                throw StoreError.invalidData("unknown database URL parameter '\(item.name)'")
            }
        }
        guard Self.isValidSchemaName(schema) else {
            throw StoreError.invalidData("schema must be 1-63 characters of a-z, 0-9 and _, starting with a letter or _")
        }
    }

    /// The URL without the password, for logs and `kubeid db status`.
    public var redactedDescription: String {
        let password = password == nil ? "" : ":***"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var text = "postgres://\(user)\(password)@\(hostPart):\(port)/\(database)"
        var query: [String] = []
        if schema != "public" { query.append("schema=\(schema)") }
        if tlsMode != .prefer { query.append("sslmode=\(tlsMode.rawValue)") }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    /// Schema names are used as identifiers in SQL (quoted), so they are kept to a plain,
    /// lower-case subset that needs no escaping.
    static func isValidSchemaName(_ name: String) -> Bool {
        guard (1...63).contains(name.utf8.count), let first = name.unicodeScalars.first,
              first == "_" || ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }
}
