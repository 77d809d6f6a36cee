/// Migration "v3-application-password-grant": whether an application may use the
/// resource-owner password grant (`Application.isPasswordGrantEnabled`, off by default).
/// `applications` already has version triggers from "v1", so flipping it reaches the server's cache.
extension SQLiteMigrations {
    static let v3ApplicationPasswordGrant = """
        ALTER TABLE applications ADD COLUMN is_password_grant_enabled INTEGER NOT NULL DEFAULT 0;
        """
}
