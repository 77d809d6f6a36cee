/// Migration "v7-settings": store-wide named values (``StoreSetting``), such as the issuer URL
/// `serve` was last started with. Not directory data, so no version trigger.
extension PostgresMigrations {
    static func v7Settings(schema: String) -> [String] {
        [
            """
            CREATE TABLE settings (
                name text COLLATE "C" NOT NULL PRIMARY KEY,
                value text COLLATE "C" NOT NULL
            )
            """,
        ]
    }
}
