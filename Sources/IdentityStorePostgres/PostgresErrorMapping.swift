import Foundation
import IdentityCore
internal import PostgresNIO

/// Turns whatever PostgresNIO throws into a ``StoreError``, so callers handle one error type and
/// no PostgresNIO type leaks out of this module. Errors thrown by a caller's closure (an
/// `update…` change) and `CancellationError` pass through unchanged.
enum PostgresErrorMapping {
    /// SQLSTATEs after which the whole transaction may simply be tried again.
    static let retryableStates: Set<String> = [
        "40001", // serialization_failure
        "40P01", // deadlock_detected
    ]

    static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, error.code == .server,
              let state = error.serverInfo?[.sqlState] else { return false }
        return retryableStates.contains(state)
    }

    static func storeError(from error: any Error) -> any Error {
        switch error {
        case let error as StoreError:
            return error
        case let error as PSQLError:
            return storeError(from: error)
        case let error as PostgresDecodingError:
            return StoreError.invalidData("cannot decode column \(error.columnName) (\(error.postgresType))")
        case is CancellationError:
            return error
        default:
            // Errors thrown by a caller's closure belong to the caller and pass through; anything
            // from PostgresNIO's or NIO's modules must not.
            let type = String(reflecting: Swift.type(of: error))
            if type.hasPrefix("PostgresNIO.") || type.hasPrefix("_ConnectionPoolModule.") || type.hasPrefix("NIO") {
                return StoreError.unavailable("database: \(type)")
            }
            return error
        }
    }

    private static func storeError(from error: PSQLError) -> StoreError {
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
            // Connection refused or lost, TLS or authentication failure, pool closed: the
            // database cannot be used now; it may be later.
            return .unavailable("database connection: \(error.code)\(error.underlying.map { " (\($0))" } ?? "")")
        }
        let message = error.serverInfo?[.message] ?? ""
        let reason = "\(state): \(message)"
        switch state {
        case "23505": // unique_violation
            return .alreadyExists(reason)
        case "23503": // foreign_key_violation: the parent (application, group) is missing
            return .notFound(reason)
        case "40001", "40P01":
            return .conflict(reason)
        default:
            break
        }
        switch state.prefix(2) {
        case "22", "23": // data exception, other integrity violations (NOT NULL, CHECK)
            return .invalidData(reason)
        case "42": // undefined table/column: the schema is older or newer than this binary
            return .invalidData("schema mismatch (run `kubeid db migrate`?): \(reason)")
        default:
            // 08 connection, 53 resources, 57 operator intervention (shutdown), 58 system, XX
            // internal, and anything new: the database could not do it now; a retry may.
            return .unavailable(reason)
        }
    }
}
