import IdentityCore

extension StoreOptions {
    /// The directory-administration service over the chosen store.
    func administration() throws -> DirectoryAdministration {
        let (store, hasher) = try DataDirectory(path: resolvedDataDirectory()).open()
        return DirectoryAdministration(store: store, hasher: hasher)
    }
}
