/// Migration "v8-application-code-without-pkce": whether a confidential client may use the
/// authorization-code flow without PKCE (`Application.allowsCodeWithoutPKCE`, off by default).
/// `applications` already has version triggers from "v1", so flipping it reaches the server's cache.
extension SQLiteMigrations {
    static let v8ApplicationCodeWithoutPKCE = """
        ALTER TABLE applications ADD COLUMN allows_code_without_pkce INTEGER NOT NULL DEFAULT 0;
        """
}
