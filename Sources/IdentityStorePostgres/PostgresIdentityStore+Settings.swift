import Foundation
public import IdentityCore
internal import PostgresNIO

extension PostgresIdentityStore: SettingsStore {
    public func setting(_ setting: StoreSetting) async throws -> String? {
        try await read { connection in
            try await connection.row("SELECT value FROM settings WHERE name = \(setting.rawValue)", self.queryLogger)?
                .string("value")
        }
    }

    public func setSetting(_ setting: StoreSetting, to value: String) async throws {
        try await read { connection in
            try await connection.run("""
                INSERT INTO settings (name, value) VALUES (\(setting.rawValue), \(value))
                ON CONFLICT (name) DO UPDATE SET value = excluded.value
                """, self.queryLogger)
        }
    }
}
