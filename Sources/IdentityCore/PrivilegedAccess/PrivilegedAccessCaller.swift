import Foundation

/// Who submits or reviews a privileged-access request, and what they may do: an
/// administrator (an app with the application permission, a user with a directory role, or the
/// command line) or a person acting for themselves with the delegated scope.
public struct PrivilegedAccessCaller: Sendable {
    public var requestor: PrivilegedAccessRequest.Requestor
    /// May take admin actions (assign, remove, extend, change policies) for anyone.
    public var isAdministrator: Bool
    /// The `amr` of the caller's sign-in: an activation whose policy requires MFA needs `mfa`.
    public var authenticationMethods: [String]
    /// How the audit trail names the caller.
    public var actor: AdministrationActor

    public init(requestor: PrivilegedAccessRequest.Requestor, isAdministrator: Bool, authenticationMethods: [String],
                actor: AdministrationActor) {
        self.requestor = requestor
        self.isAdministrator = isAdministrator
        self.authenticationMethods = authenticationMethods
        self.actor = actor
    }

    /// The `kubeid` command line: an administrator.
    public static let commandLine = PrivilegedAccessCaller(
        requestor: .init(kind: .commandLine, objectID: nil), isAdministrator: true, authenticationMethods: [],
        actor: .commandLine)

    /// The signed-in user's object id, nil for apps and the command line.
    public var userID: String? { requestor.kind == .user ? requestor.objectID : nil }
}
