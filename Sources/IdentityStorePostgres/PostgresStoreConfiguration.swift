import Foundation
import IdentityCore

/// Where and how the PostgreSQL store connects, parsed from a libpq-style URL so operators can
/// reuse what they give `psql`:
///
/// ```
/// postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require&schema=kubeid&pool_max=20]
/// ```
///
/// - `sslmode`: `disable`, `prefer`, `require` or `verify-full`. `require` and `verify-full` both
///   verify the server certificate and the host name (PostgresNIO has no "encrypt but don't
///   verify" mode), against `sslrootcert` when given, else the system trust store. Unlike libpq
///   (whose `prefer` lets an active attacker strip TLS), the default is `require` for any host
///   that is not loopback, `verify-full` when `sslrootcert` is given, and `prefer` only for a
///   loopback host (`localhost`, `127.0.0.0/8`, `::1`), where no one is in the middle.
/// - `sslrootcert`: a PEM file of the CA certificates the server's certificate must chain to.
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
    /// `sslrootcert`: the CA certificates (PEM file) the server must chain to; nil for the system's.
    public var certificateAuthorityFile: String?
    public var maximumConnections: Int
    /// How long an operation waits for a pooled connection before it fails with `unavailable`.
    public var connectionTimeout: TimeInterval
    public var applicationName: String

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String,
                schema: String = "public", tlsMode: TLSMode? = nil, certificateAuthorityFile: String? = nil,
                maximumConnections: Int = 20, connectionTimeout: TimeInterval = 5, applicationName: String = "kubeid") {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.schema = schema
        self.tlsMode = tlsMode ?? Self.defaultTLSMode(host: host, certificateAuthorityFile: certificateAuthorityFile)
        self.certificateAuthorityFile = certificateAuthorityFile
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
        var explicitMode: TLSMode?
        for item in url.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw StoreError.invalidData("sslmode must be one of disable, prefer, require, verify-full")
                }
                explicitMode = mode
            case "sslrootcert":
                guard !value.isEmpty else { throw StoreError.invalidData("sslrootcert must name a PEM file") }
                certificateAuthorityFile = value
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
        tlsMode = explicitMode ?? Self.defaultTLSMode(host: self.host, certificateAuthorityFile: certificateAuthorityFile)
        if certificateAuthorityFile != nil, tlsMode == .disable {
            throw StoreError.invalidData("sslrootcert needs TLS: remove sslmode=disable")
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
        query.append("sslmode=\(tlsMode.rawValue)")
        if let certificateAuthorityFile { query.append("sslrootcert=\(certificateAuthorityFile)") }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    /// The mode when the URL names none: `verify-full` with a CA, `prefer` on loopback only,
    /// `require` everywhere else.
    public static func defaultTLSMode(host: String, certificateAuthorityFile: String?) -> TLSMode {
        if certificateAuthorityFile != nil { return .verifyFull }
        return isLoopback(host) ? .prefer : .require
    }

    /// `localhost`, `127.0.0.0/8` or `::1` (a Unix socket directory counts too).
    public static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        if lower == "localhost" || lower.hasSuffix(".localhost") || lower.hasPrefix("/") { return true }
        if lower == "::1" || lower == "0:0:0:0:0:0:0:1" { return true }
        let octets = lower.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Schema names are used as identifiers in SQL (quoted), so they are kept to a plain,
    /// lower-case subset that needs no escaping.
    static func isValidSchemaName(_ name: String) -> Bool {
        guard (1...63).contains(name.utf8.count), let first = name.unicodeScalars.first,
              first == "_" || ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }
}
