/// Who is signing in: a user of the directory, or a service principal signing in as itself.
public enum SignInSubject: Sendable, Hashable {
    case user(User)
    case servicePrincipal(ServicePrincipal)

    /// The object id that `oid` names.
    public var objectID: String {
        switch self {
        case .user(let user): return user.objectID
        case .servicePrincipal(let principal): return principal.objectID
        }
    }

    public var user: User? {
        if case .user(let user) = self { return user }
        return nil
    }

    public var servicePrincipal: ServicePrincipal? {
        if case .servicePrincipal(let principal) = self { return principal }
        return nil
    }
}
