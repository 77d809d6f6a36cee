import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: SettingsStore {
    public func setting(_ setting: StoreSetting) async throws -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT value FROM settings WHERE name = ?", arguments: [setting.rawValue])
        }
    }

    public func setSetting(_ setting: StoreSetting, to value: String) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO settings (name, value) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value
                """, arguments: [setting.rawValue, value])
        }
    }
}
