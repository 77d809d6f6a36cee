import Foundation
import Hummingbird
import IdentityCore
import OAuthProtocol

/// `/v1.0/servicePrincipals`: the tenant-local identities of applications, their secrets, and
/// the app role assignments (application permissions) granted to them.
///
/// kubeid registers an application and its principal together, so `POST /servicePrincipals`
/// with the `appId` of an existing application answers its principal (201, as a create would)
/// rather than making a second one.
struct GraphServicePrincipalRoutes {
    let endpoint: GraphEndpoint
    let applications: GraphApplicationRoutes

    func register(on router: Router<IdentityRequestContext>) {
        router.get("/v1.0/servicePrincipals") { request, context in
            await endpoint.handle(request, context, rule: .readApplications) { call in
                var rendered: [JSONValue] = []
                for principal in try await endpoint.issuer.store.listServicePrincipals(tenantID: call.tenantID) {
                    let application = try await endpoint.issuer.store.application(tenantID: call.tenantID, appID: principal.appID)
                    rendered.append(GraphObjects.servicePrincipal(principal, application: application))
                }
                return .collection(rendered, context: "servicePrincipals")
            }
        }
        router.post("/v1.0/servicePrincipals") { request, context in
            await endpoint.handle(request, context, rule: .writeApplications) { call in
                try call.rejectUnknownProperties(allowed: ["appId", "accountEnabled", "tags"])
                let application = try await call.objects.application(appID: try call.string("appId"))
                let (_, principal) = try await call.administration.servicePrincipal(tenant: call.tenantID, id: application.appID)
                return .entity(GraphObjects.servicePrincipal(principal, application: application),
                               context: "servicePrincipals/$entity", status: 201)
            }
        }
        router.get("/v1.0/servicePrincipals/{id}") { request, context in
            await endpoint.handle(request, context, rule: .readApplications) { call in
                let (principal, application) = try await call.objects.servicePrincipal(try call.parameter("id"))
                return .entity(GraphObjects.servicePrincipal(principal, application: application), context: "servicePrincipals/$entity")
            }
        }
        router.patch("/v1.0/servicePrincipals/{id}") { request, context in
            await endpoint.handle(request, context, rule: .writeApplications) { call in
                try call.rejectUnknownProperties(allowed: ["accountEnabled"])
                let (principal, _) = try await call.objects.servicePrincipal(try call.parameter("id"))
                if let enabled = try call.optionalBool("accountEnabled") {
                    _ = try await call.administration.setServicePrincipalEnabled(tenant: call.tenantID, id: principal.objectID,
                                                                                 enabled: enabled)
                }
                return .noContent
            }
        }
        router.delete("/v1.0/servicePrincipals/{id}") { request, context in
            await endpoint.handle(request, context, rule: .writeApplications) { call in
                let (principal, _) = try await call.objects.servicePrincipal(try call.parameter("id"))
                try await call.administration.deleteApplication(tenant: call.tenantID, id: principal.appID)
                return .noContent
            }
        }
        router.post("/v1.0/servicePrincipals/{id}/addPassword") { request, context in
            await endpoint.handle(request, context, rule: .writeApplications) { call in
                let (principal, _) = try await call.objects.servicePrincipal(try call.parameter("id"))
                return try await applications.addPassword(appID: principal.appID, call)
            }
        }
        router.post("/v1.0/servicePrincipals/{id}/removePassword") { request, context in
            await endpoint.handle(request, context, rule: .writeApplications) { call in
                let (principal, _) = try await call.objects.servicePrincipal(try call.parameter("id"))
                return try await applications.removePassword(appID: principal.appID, call)
            }
        }
        router.get("/v1.0/servicePrincipals/{id}/appRoleAssignments") { request, context in
            await endpoint.handle(request, context, rule: .readAppRoleAssignments) { call in
                let (principal, _) = try await call.objects.servicePrincipal(try call.parameter("id"))
                let assignments = try await endpoint.issuer.store.appRoleAssignments(tenantID: call.tenantID, principalID: principal.objectID)
                var rendered: [JSONValue] = []
                for assignment in assignments { rendered.append(try await render(assignment, principalName: principal.displayName, call)) }
                return .collection(rendered, context: "servicePrincipals('\(principal.objectID)')/appRoleAssignments")
            }
        }
        router.post("/v1.0/servicePrincipals/{id}/appRoleAssignments") { request, context in
            await endpoint.handle(request, context, rule: .grantAppRoles) { call in
                try call.rejectUnknownProperties(allowed: ["principalId", "resourceId", "appRoleId"])
                let (principal, _) = try await call.objects.servicePrincipal(try call.parameter("id"))
                guard ObjectID.canonical(try call.string("principalId")) == principal.objectID else {
                    throw GraphError.badRequest("principalId must be the service principal in the request path.")
                }
                let (resource, _) = try await call.objects.servicePrincipal(try call.string("resourceId"))
                let assignment = try await call.administration.createAppRoleAssignment(
                    tenantID: call.tenantID, principalID: principal.objectID, principalKind: .servicePrincipal,
                    resource: resource, appRoleID: try call.string("appRoleId"))
                return .entity(try await render(assignment, principalName: principal.displayName, call),
                               context: "servicePrincipals('\(principal.objectID)')/appRoleAssignments/$entity", status: 201)
            }
        }
        router.delete("/v1.0/servicePrincipals/{id}/appRoleAssignments/{assignmentId}") { request, context in
            await endpoint.handle(request, context, rule: .grantAppRoles) { call in
                let (principal, _) = try await call.objects.servicePrincipal(try call.parameter("id"))
                let id = ObjectID.canonical(try call.parameter("assignmentId")) ?? ""
                guard let assignment = try await endpoint.issuer.store.appRoleAssignment(tenantID: call.tenantID, id: id),
                      assignment.principalID == principal.objectID else { throw GraphError.notFound }
                try await call.administration.deleteAppRoleAssignment(tenantID: call.tenantID, id: id)
                return .noContent
            }
        }
    }

    private func render(_ assignment: AppRoleAssignment, principalName: String, _ call: GraphCall) async throws -> JSONValue {
        let resource = try await endpoint.issuer.store.servicePrincipal(tenantID: call.tenantID, objectID: assignment.resourceID)
        return GraphObjects.appRoleAssignment(assignment, principalName: principalName, resourceName: resource?.displayName)
    }
}
