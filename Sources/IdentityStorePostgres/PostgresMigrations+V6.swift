/// Migration "v6-application-code-without-pkce": whether a confidential client may use the
/// authorization-code flow without PKCE (`Application.allowsCodeWithoutPKCE`, off by default).
/// `applications` already has its version trigger from "v1", so flipping it reaches every
/// instance's cache.
extension PostgresMigrations {
    static func v6ApplicationCodeWithoutPKCE(schema: String) -> [String] {
        ["ALTER TABLE applications ADD COLUMN allows_code_without_pkce boolean NOT NULL DEFAULT false"]
    }
}
