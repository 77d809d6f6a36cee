import Foundation

/// A structured record of something security-relevant: a token issued, a sign-in failed, a
/// device approved, an admin change, a refused break-glass credential. Never holds a token,
/// secret or password (docs/operations.md, Audit trail).
public struct AuditEvent: Sendable, Hashable, Codable {
    public var id: String
    public var time: Date
    public var tenantID: String?
    /// Dotted kind, e.g. `token.issued`, `signin.failed`, `device.approved`, `refresh.reuse`.
    public var kind: String
    /// Who acted (user or service principal object id, or `cli` for admin commands).
    public var actor: String?
    /// What it concerned (a user, group, cluster...).
    public var subject: String?
    public var clientID: String?
    public var sourceAddress: String?
    /// `success` or `failure`.
    public var outcome: String
    /// Extra facts (AADSTS code, reason, groups count...). No secret values.
    public var details: [String: String]

    public init(id: String, time: Date, tenantID: String?, kind: String, actor: String? = nil, subject: String? = nil,
                clientID: String? = nil, sourceAddress: String? = nil, outcome: String, details: [String: String] = [:]) {
        self.id = id
        self.time = time
        self.tenantID = tenantID
        self.kind = kind
        self.actor = actor
        self.subject = subject
        self.clientID = clientID
        self.sourceAddress = sourceAddress
        self.outcome = outcome
        self.details = details
    }
}
