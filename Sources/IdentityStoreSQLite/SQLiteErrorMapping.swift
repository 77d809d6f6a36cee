import Foundation
import IdentityCore
internal import GRDB

/// Turns whatever the database layer throws into a ``StoreError``, so callers handle one error
/// type and no GRDB type leaks out of this module.
enum SQLiteErrorMapping {
    static func storeError(from error: any Error) -> any Error {
        switch error {
        case let error as StoreError:
            return error
        case let error as DatabaseError:
            return storeError(from: error)
        case let error as RowDecodingError:
            return StoreError.invalidData("cannot decode row: \(error)")
        case let error as DecodingError:
            return StoreError.invalidData("cannot decode stored JSON: \(error)")
        case is CancellationError:
            return error
        default:
            // Errors thrown by a caller's closure (updateApplication) belong to the caller and
            // pass through; anything else from GRDB's module must not.
            if String(reflecting: type(of: error)).hasPrefix("GRDB.") {
                return StoreError.unavailable("database: \(error)")
            }
            return error
        }
    }

    private static func storeError(from error: DatabaseError) -> StoreError {
        let reason = error.message ?? "\(error.extendedResultCode)"
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return .alreadyExists(reason)
        case .SQLITE_CONSTRAINT_FOREIGNKEY:
            // The parent (application or group) of the row being inserted does not exist.
            return .notFound(reason)
        default:
            break
        }
        switch error.resultCode {
        case .SQLITE_CONSTRAINT:
            // NOT NULL or CHECK: the store wrote a value the schema refuses.
            return .invalidData(reason)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_MISMATCH, .SQLITE_FORMAT, .SQLITE_RANGE:
            return .invalidData(reason)
        default:
            // BUSY, LOCKED, IOERR, CANTOPEN, FULL, READONLY, NOMEM, INTERRUPT, PROTOCOL and
            // anything new: the database could not do it now; a retry may.
            return .unavailable(reason)
        }
    }
}
