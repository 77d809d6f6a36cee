import IdentityCore

/// Finds directory objects of any kind by object id within the caller's tenant, for the
/// polymorphic parts of Graph (`members`, `directoryObjects/{id}` references, `memberOf`).
struct DirectoryObjects: Sendable {
    enum Object: Sendable {
        case user(User)
        case group(Group)
        case servicePrincipal(ServicePrincipal, IdentityCore.Application?)

        var kind: GroupMembership.MemberKind {
            switch self {
            case .user: .user
            case .group: .group
            case .servicePrincipal: .servicePrincipal
            }
        }
    }

    let store: any IdentityStore
    let tenantID: String

    func object(_ id: String) async throws -> Object? {
        guard let objectID = ObjectID.canonical(id) else { return nil }
        if let user = try await store.user(tenantID: tenantID, objectID: objectID) { return .user(user) }
        if let group = try await store.group(tenantID: tenantID, objectID: objectID) { return .group(group) }
        if let principal = try await store.servicePrincipal(tenantID: tenantID, objectID: objectID) {
            return .servicePrincipal(principal, try await store.application(tenantID: tenantID, appID: principal.appID))
        }
        return nil
    }

    /// The objects with these ids, in order, skipping any that no longer exist.
    func objects(_ ids: [String]) async throws -> [Object] {
        var result: [Object] = []
        for id in ids { if let object = try await object(id) { result.append(object) } }
        return result
    }

    /// The user named by object id or user principal name, as `/users/{id | userPrincipalName}` does.
    func user(_ idOrUPN: String) async throws -> User {
        if let objectID = ObjectID.canonical(idOrUPN), let user = try await store.user(tenantID: tenantID, objectID: objectID) {
            return user
        }
        if idOrUPN.contains("@"), let user = try await store.user(tenantID: tenantID, userPrincipalName: idOrUPN) { return user }
        throw GraphError.notFound
    }

    func group(_ id: String) async throws -> Group {
        guard let objectID = ObjectID.canonical(id), let group = try await store.group(tenantID: tenantID, objectID: objectID) else {
            throw GraphError.notFound
        }
        return group
    }

    /// `/servicePrincipals/{id}`: the principal's object id.
    func servicePrincipal(_ id: String) async throws -> (ServicePrincipal, IdentityCore.Application?) {
        guard let objectID = ObjectID.canonical(id),
              let principal = try await store.servicePrincipal(tenantID: tenantID, objectID: objectID) else {
            throw GraphError.notFound
        }
        return (principal, try await store.application(tenantID: tenantID, appID: principal.appID))
    }

    /// `/applications/{id}`: the registration's object id.
    func application(objectID id: String) async throws -> IdentityCore.Application {
        guard let objectID = ObjectID.canonical(id),
              let application = try await store.listApplications(tenantID: tenantID).first(where: { $0.objectID == objectID }) else {
            throw GraphError.notFound
        }
        return application
    }

    /// `/applications(appId='…')`.
    func application(appID id: String) async throws -> IdentityCore.Application {
        guard let appID = ObjectID.canonical(id), let application = try await store.application(tenantID: tenantID, appID: appID) else {
            throw GraphError.notFound
        }
        return application
    }
}
