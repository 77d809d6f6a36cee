import Foundation
import IdentityCore
internal import GRDB

/// The two doors to the database every aggregate extension goes through, so no GRDB error can
/// escape and every write is one IMMEDIATE transaction (GRDB's default for writes).
extension SQLiteIdentityStore {
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch {
            throw SQLiteErrorMapping.storeError(from: error)
        }
    }

    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.write(body)
        } catch {
            throw SQLiteErrorMapping.storeError(from: error)
        }
    }
}
