import Foundation

/// Which sign-in records to read: every filter is optional and they combine with AND. Results
/// come newest first (by `createdDateTime`, then `id`), a page at a time.
public struct SignInQuery: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        case success, failure
    }

    /// Only this tenant's records; every tenant's when nil.
    public var tenantID: String?
    /// Created at or after.
    public var since: Date?
    /// Created at or before.
    public var until: Date?
    public var userID: String?
    /// Compared ignoring case (records keep it lower case).
    public var userPrincipalName: String?
    public var appID: String?
    public var errorCode: Int?
    public var outcome: Outcome?
    public var conditionalAccessStatus: String?
    public var correlationID: String?
    /// At most this many records a page (clamped to 1...1000, Graph's page size limit).
    public var pageSize: Int
    /// Continue after this record (from ``SignInPage/next``).
    public var after: SignInCursor?

    public static let maximumPageSize = 1000

    public init(tenantID: String? = nil, since: Date? = nil, until: Date? = nil, userID: String? = nil,
                userPrincipalName: String? = nil, appID: String? = nil, errorCode: Int? = nil, outcome: Outcome? = nil,
                conditionalAccessStatus: String? = nil, correlationID: String? = nil, pageSize: Int = 100,
                after: SignInCursor? = nil) {
        self.tenantID = tenantID
        self.since = since
        self.until = until
        self.userID = userID
        self.userPrincipalName = userPrincipalName
        self.appID = appID
        self.errorCode = errorCode
        self.outcome = outcome
        self.conditionalAccessStatus = conditionalAccessStatus
        self.correlationID = correlationID
        self.pageSize = pageSize
        self.after = after
    }

    /// ``pageSize`` within 1...``maximumPageSize``.
    public var boundedPageSize: Int { min(max(pageSize, 1), Self.maximumPageSize) }
}

/// A page of sign-in records and where the next one starts (nil on the last page).
public struct SignInPage: Sendable, Hashable {
    public var records: [SignInRecord]
    public var next: SignInCursor?

    public init(records: [SignInRecord], next: SignInCursor?) {
        self.records = records
        self.next = next
    }
}

/// A position in the newest-first order: the last record of a page. Opaque to callers as
/// ``token`` (a Graph `$skiptoken`, a CLI continuation).
public struct SignInCursor: Sendable, Hashable {
    public var createdAt: Date
    public var id: String

    public init(createdAt: Date, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    /// `<milliseconds>.<id>`, URL-safe.
    public var token: String { "\(Int64((createdAt.timeIntervalSince1970 * 1000).rounded())).\(id)" }

    /// The cursor a ``token`` names, or nil when it is not one.
    public init?(token: String) {
        let parts = token.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let milliseconds = Int64(parts[0]), !parts[1].isEmpty, parts[1].count <= 64,
              parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return nil }
        self.init(createdAt: Date(timeIntervalSince1970: Double(milliseconds) / 1000), id: String(parts[1]))
    }
}
