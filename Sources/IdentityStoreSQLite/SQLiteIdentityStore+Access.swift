import Foundation
import IdentityCore
internal import GRDB

/// The two doors to the database every aggregate extension goes through, so no GRDB error can
/// escape, every write is one IMMEDIATE transaction (GRDB's default for writes), and every
/// operation is timed under the store method's name (`operation` defaults to the caller's).
extension SQLiteIdentityStore {
    func read<T: Sendable>(operation: String = #function, _ body: @Sendable (Database) throws -> T) async throws -> T {
        try await metrics.measure(operation) {
            do {
                return try await database.read(body)
            } catch {
                throw SQLiteErrorMapping.storeError(from: error)
            }
        }
    }

    func write<T: Sendable>(operation: String = #function, _ body: @Sendable (Database) throws -> T) async throws -> T {
        try await metrics.measure(operation) {
            do {
                return try await database.write(body)
            } catch {
                throw SQLiteErrorMapping.storeError(from: error)
            }
        }
    }
}
