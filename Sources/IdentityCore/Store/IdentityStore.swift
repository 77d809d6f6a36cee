/// Everything the issuer persists, as one existential the composition root hands around.
/// Backends implement every aggregate protocol; routes and flows depend only on the parts
/// they use.
///
/// Rules every backend keeps (checked by `IdentityStoreConformanceTests`):
/// - Dates round-trip exactly to the millisecond (finer parts may be rounded away); they have
///   no zone, and backends store UTC.
/// - "Ordered by" a string compares code points (binary; PostgreSQL `COLLATE "C"`), except
///   tenant names and user principal names, which compare ignoring case.
/// - Lookups return nil for "not found"; mutations throw ``StoreError`` codes as documented,
///   and only ``StoreError`` (or the error a caller's closure threw, or `CancellationError`).
/// - Every mutation is atomic: when it throws, nothing of it is stored.
public typealias IdentityStore = TenantStore & ApplicationStore & GroupStore & CredentialStore
    & SigningKeyStore & ReplayCache & DirectoryChangeFeed
    & UserStore & DeviceAuthorizationStore & AuthorizationCodeStore & RefreshTokenStore & RateLimitStore
    & AuditEventStore & SignInLogStore & ClusterStore & RoleAssignmentStore & GrantStore
    & SettingsStore & PrivilegedAccessStore & StoreSchema
