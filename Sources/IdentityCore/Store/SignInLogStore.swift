import Foundation

/// The sign-in log: one ``SignInRecord`` per attempt, written in batches by ``SignInLog``.
///
/// Records are not directory data (writing them never changes
/// ``DirectoryChangeFeed/directoryVersion()``) and are never updated.
public protocol SignInLogStore: Sendable {
    /// Appends several records in one transaction: all of them or, when it throws, none.
    /// Throws `StoreError.alreadyExists` if any id is taken (or repeated). Empty: no-op.
    func appendSignIns(_ records: [SignInRecord]) async throws
    /// The records matching `query`, newest first (by `createdDateTime`, then `id`, both
    /// descending), at most `query.boundedPageSize`, starting after `query.after`. `next` is set
    /// when more records may follow.
    func signIns(_ query: SignInQuery) async throws -> SignInPage
    /// The record with this id (in this tenant when `tenantID` is given), or nil.
    func signIn(id: String, tenantID: String?) async throws -> SignInRecord?
    /// Deletes records created before `before`, at most `limit` (retention).
    func deleteSignIns(before: Date, limit: Int) async throws -> Int
}
