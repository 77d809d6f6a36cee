extension DirectoryAdministration {
    /// The issuer URL `kubeid serve` was last started with on this store, nil when it never ran
    /// on it: commands that print URLs use it when they are not given one.
    public func recordedIssuerURL() async throws -> String? {
        try await store.setting(.issuerURL)
    }
}
