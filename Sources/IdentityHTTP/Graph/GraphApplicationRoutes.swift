import Foundation
import Hummingbird
import IdentityCore
import OAuthProtocol

/// `/v1.0/applications`: registrations, their secrets (`addPassword`/`removePassword`) and
/// federated credentials. `applications(appId='…')` is answered by ``GraphRoutes``' fallback,
/// which calls ``entity(_:_:)`` and friends here.
struct GraphApplicationRoutes {
    let endpoint: GraphEndpoint

    func register(on router: Router<IdentityRequestContext>) {
        router.get("/v1.0/applications") { request, context in
            await endpoint.handle(request, context, rule: .readApplications) { call in
                let applications = try await endpoint.issuer.store.listApplications(tenantID: call.tenantID)
                var rendered: [JSONValue] = []
                for application in applications { rendered.append(try await render(application, call)) }
                return .collection(rendered, context: "applications")
            }
        }
        router.post("/v1.0/applications") { request, context in
            await endpoint.handle(request, context, rule: .writeApplications) { call in
                try await create(call)
            }
        }
        router.get("/v1.0/applications/{id}") { request, context in
            await endpoint.handle(request, context, rule: .readApplications) { call in
                try await entity(try await call.objects.application(objectID: try call.parameter("id")), call)
            }
        }
        router.patch("/v1.0/applications/{id}") { request, context in
            await endpoint.handle(request, context, rule: .writeApplications) { call in
                try await update(try await call.objects.application(objectID: try call.parameter("id")), call)
            }
        }
        router.delete("/v1.0/applications/{id}") { request, context in
            await endpoint.handle(request, context, rule: .writeApplications) { call in
                try await delete(try await call.objects.application(objectID: try call.parameter("id")), call)
            }
        }
        router.post("/v1.0/applications/{id}/addPassword") { request, context in
            await endpoint.handle(request, context, rule: .writeApplications) { call in
                try await addPassword(appID: try await call.objects.application(objectID: try call.parameter("id")).appID, call)
            }
        }
        router.post("/v1.0/applications/{id}/removePassword") { request, context in
            await endpoint.handle(request, context, rule: .writeApplications) { call in
                try await removePassword(appID: try await call.objects.application(objectID: try call.parameter("id")).appID, call)
            }
        }
        router.get("/v1.0/applications/{id}/federatedIdentityCredentials") { request, context in
            await endpoint.handle(request, context, rule: .readApplications) { call in
                let application = try await call.objects.application(objectID: try call.parameter("id"))
                let credentials = try await call.administration.listFederatedCredentials(tenant: call.tenantID, appID: application.appID)
                return .collection(credentials.map(GraphObjects.federatedCredential),
                                   context: "applications('\(application.objectID)')/federatedIdentityCredentials")
            }
        }
        router.post("/v1.0/applications/{id}/federatedIdentityCredentials") { request, context in
            await endpoint.handle(request, context, rule: .writeApplications) { call in
                let application = try await call.objects.application(objectID: try call.parameter("id"))
                try call.rejectUnknownProperties(allowed: ["name", "issuer", "subject", "audiences", "description"])
                let credential = try await call.administration.createFederatedCredential(
                    tenant: call.tenantID, appID: application.appID, name: try call.string("name"), issuer: try call.string("issuer"),
                    subject: try call.string("subject"),
                    audiences: try call.optionalStrings("audiences") ?? [WellKnownApplications.tokenExchangeAudience])
                return .entity(GraphObjects.federatedCredential(credential),
                               context: "applications('\(application.objectID)')/federatedIdentityCredentials/$entity", status: 201)
            }
        }
    }

    func render(_ application: IdentityCore.Application, _ call: GraphCall) async throws -> JSONValue {
        let store = endpoint.issuer.store
        return GraphObjects.application(application,
                                        secrets: try await store.clientSecrets(tenantID: call.tenantID, appID: application.appID),
                                        certificates: try await store.certificates(tenantID: call.tenantID, appID: application.appID))
    }

    func entity(_ application: IdentityCore.Application, _ call: GraphCall) async throws -> GraphReply {
        .entity(try await render(application, call), context: "applications/$entity")
    }

    private static let creatable: Set<String> = ["displayName", "identifierUris", "isFallbackPublicClient", "publicClient", "web",
                                                 "api", "signInAudience", "description", "notes", "tags"]

    private func create(_ call: GraphCall) async throws -> GraphReply {
        try call.rejectUnknownProperties(allowed: Self.creatable)
        let audience = try call.optionalString("signInAudience") ?? "AzureADMyOrg"
        guard audience == "AzureADMyOrg" else {
            throw GraphError.badRequest("signInAudience '\(audience)' is not supported: kubeid applications are single-tenant (AzureADMyOrg).")
        }
        let isPublic = try call.optionalBool("isFallbackPublicClient") ?? false
        let publicURIs = try (call.optionalObject("publicClient")?["redirectUris"]).map(Self.strings) ?? []
        let webURIs = try (call.optionalObject("web")?["redirectUris"]).map(Self.strings) ?? []
        var version = 2
        if case .number(let requested)? = try call.optionalObject("api")?["requestedAccessTokenVersion"] { version = Int(requested) }
        let (application, _) = try await call.administration.createApplication(
            tenant: call.tenantID, displayName: try call.string("displayName"),
            identifierURIs: try call.optionalStrings("identifierUris") ?? [], accessTokenVersion: version,
            isPublicClient: isPublic || !publicURIs.isEmpty, redirectURIs: publicURIs + webURIs)
        return .entity(try await render(application, call), context: "applications/$entity", status: 201)
    }

    func update(_ application: IdentityCore.Application, _ call: GraphCall) async throws -> GraphReply {
        try call.rejectUnknownProperties(allowed: ["displayName", "isFallbackPublicClient", "publicClient", "web"])
        let redirectURIs = try (call.optionalObject("publicClient")?["redirectUris"]).map(Self.strings)
            ?? (call.optionalObject("web")?["redirectUris"]).map(Self.strings)
        var changes = ApplicationChanges(isPublicClient: try call.optionalBool("isFallbackPublicClient"),
                                         displayName: try call.optionalString("displayName"))
        if let redirectURIs {
            changes.removeRedirectURIs = application.redirectURIs.filter { !redirectURIs.contains($0) }
            changes.addRedirectURIs = redirectURIs.filter { !application.redirectURIs.contains($0) }
        }
        _ = try await call.administration.updateApplication(tenant: call.tenantID, id: application.appID, changes: changes)
        return .noContent
    }

    func delete(_ application: IdentityCore.Application, _ call: GraphCall) async throws -> GraphReply {
        try await call.administration.deleteApplication(tenant: call.tenantID, id: application.appID)
        return .noContent
    }

    /// `addPassword`: 200 with the `passwordCredential`, `secretText` shown only now.
    func addPassword(appID: String, _ call: GraphCall) async throws -> GraphReply {
        let request = try call.optionalObject("passwordCredential") ?? [:]
        func date(_ name: String) throws -> Date? {
            guard case .string(let text)? = request[name] else { return nil }
            guard let date = GraphDate.parse(text) else { throw GraphError.badRequest("passwordCredential.\(name) is not a date-time.") }
            return date
        }
        var displayName: String?
        if case .string(let name)? = request["displayName"] { displayName = name }
        let added = try await call.administration.addPassword(tenant: call.tenantID, id: appID,
                                                              startDateTime: try date("startDateTime"), endDateTime: try date("endDateTime"))
        return .entity(GraphObjects.passwordCredential(added.credential, secretText: added.secretText, displayName: displayName),
                       context: "microsoft.graph.passwordCredential")
    }

    func removePassword(appID: String, _ call: GraphCall) async throws -> GraphReply {
        try await call.administration.removePassword(tenant: call.tenantID, id: appID, keyID: try call.string("keyId"))
        return .noContent
    }

    static func strings(_ value: JSONValue) throws -> [String] {
        guard case .array(let items) = value else { throw GraphError.badRequest("redirectUris must be an array of strings.") }
        return try items.map { item in
            guard case .string(let text) = item else { throw GraphError.badRequest("redirectUris must be an array of strings.") }
            return text
        }
    }
}
