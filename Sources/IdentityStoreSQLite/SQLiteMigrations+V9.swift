/// Migration "v9-settings": store-wide named values (``StoreSetting``), such as the issuer URL
/// `serve` was last started with. Not directory data, so no version triggers.
extension SQLiteMigrations {
    static let v9Settings = """
        CREATE TABLE settings (
            name TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
}
