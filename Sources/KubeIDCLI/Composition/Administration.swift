import IdentityCore

extension StoreOptions {
    /// The directory-administration service over the chosen store (SQLite in the data directory,
    /// or PostgreSQL with `--database-url`). The command's process ends right after, which
    /// closes the store's connections.
    func administration() async throws -> DirectoryAdministration {
        let opened = try await StoreFactory.open(self)
        return DirectoryAdministration(store: opened.store, hasher: opened.hasher, keyEncryption: opened.keyEncryption)
    }

    /// The chosen store, for commands that use it directly (`keys`).
    func identityStore() async throws -> any IdentityStore {
        try await StoreFactory.open(self).store
    }
}
