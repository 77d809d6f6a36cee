import Foundation
import OAuthProtocol

/// The applications every tenant has, as Entra has them: the AKS server and client apps, the
/// Microsoft Graph resource (the admin API) and the Graph command-line public client.
enum WellKnownRegistrations {
    static func make(tenantID: String, now: Date) -> [(Application, ServicePrincipal)] {
        let server = Application(
            tenantID: tenantID, appID: WellKnownApplications.aksServerAppID, objectID: ObjectID.make(),
            displayName: "Azure Kubernetes Service AAD Server", identifierURIs: [],
            accessTokenVersion: 1, isPublicClient: false, exposedScopes: ["user.read"], createdAt: now)
        let client = Application(
            tenantID: tenantID, appID: WellKnownApplications.aksClientAppID, objectID: ObjectID.make(),
            displayName: "Azure Kubernetes Service AAD Client", accessTokenVersion: 1, isPublicClient: true,
            redirectURIs: ["http://localhost"],
            createdAt: now)
        // Graph's tokens are v1 tokens whose `aud` is the identifier as requested.
        let graph = Application(
            tenantID: tenantID, appID: WellKnownApplications.graphAppID, objectID: ObjectID.make(),
            displayName: "Microsoft Graph", identifierURIs: [WellKnownApplications.graphIdentifierURI],
            accessTokenVersion: 1, isPublicClient: false, exposedScopes: GraphPermission.delegatedScopeNames, createdAt: now)
        let graphTools = Application(
            tenantID: tenantID, appID: WellKnownApplications.graphCommandLineToolsAppID, objectID: ObjectID.make(),
            displayName: "Microsoft Graph Command Line Tools", accessTokenVersion: 2, isPublicClient: true,
            redirectURIs: ["http://localhost"], createdAt: now)
        return [server, client, graph, graphTools].map { application in
            (application, ServicePrincipal(tenantID: tenantID, objectID: ObjectID.make(), appID: application.appID,
                                           displayName: application.displayName, createdAt: now))
        }
    }

    /// Registers whichever well-known applications `tenant` lacks: how tenants created before
    /// an application joined this list get it. Safe when several processes run it at once (the
    /// store refuses a second registration of the same app id; that loser just moves on).
    /// Returns the app ids it registered.
    @discardableResult
    static func ensure(in tenant: Tenant, store: any IdentityStore, now: Date) async throws -> [String] {
        var added: [String] = []
        for (application, principal) in make(tenantID: tenant.id, now: now)
        where try await store.application(tenantID: tenant.id, appID: application.appID) == nil {
            do {
                try await store.createApplication(application, servicePrincipal: principal, secrets: [], certificates: [])
                added.append(application.appID)
            } catch let error as StoreError where error.code == .alreadyExists {
                continue
            }
        }
        return added
    }

    /// ``ensure(in:store:now:)`` for every tenant.
    static func ensureAll(store: any IdentityStore, now: Date) async throws {
        for tenant in try await store.listTenants() {
            try await ensure(in: tenant, store: store, now: now)
        }
    }
}
