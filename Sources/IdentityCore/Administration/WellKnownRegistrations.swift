import Foundation
import OAuthProtocol

/// The applications every tenant gets at creation, as Entra has them for AKS.
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
        return [server, client].map { application in
            (application, ServicePrincipal(tenantID: tenantID, objectID: ObjectID.make(), appID: application.appID,
                                           displayName: application.displayName, createdAt: now))
        }
    }
}
