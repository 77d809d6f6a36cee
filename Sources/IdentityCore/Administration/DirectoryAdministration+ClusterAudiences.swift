import Foundation
import OAuthProtocol

/// A cluster's own token audience (`cluster create|update --audience api://cluster-x`).
///
/// The audience is an identifier URI of the AKS server app in the cluster's AAD tenant, so the
/// token endpoint resolves `api://cluster-x/.default` (what kubelogin asks for with `--server-id
/// api://cluster-x`) to that app: the same scopes, groups and v1 shape as the shared audience,
/// with `aud` the URI as requested (v1 tokens keep the caller's spelling, as Entra's do). An
/// identifier URI names one application per tenant, and the AKS server app holds each URI once,
/// so one audience belongs to one cluster.
extension DirectoryAdministration {
    /// `api://…` or `https://…` with a host, no query, fragment, user info or wildcard; not an
    /// app id (a GUID would name an application, not this URI). Trailing slashes are dropped.
    static func checkAudience(_ text: String) throws -> String {
        var audience = text.trimmingCharacters(in: .whitespaces)
        while audience.hasSuffix("/") { audience.removeLast() }
        guard let url = URLComponents(string: audience), ["api", "https"].contains(url.scheme?.lowercased() ?? ""),
              let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil,
              !audience.contains("*"), audience.count <= 255, ObjectID.canonical(audience) == nil else {
            throw AdministrationError.invalidArgument("\(field: "audience") '\(text)' is not a valid audience: use an identifier URI such as api://\(text.isEmpty ? "cluster-name" : text) or https://host/path")
        }
        return audience
    }

    /// Adds `audience` to the AKS server app's identifier URIs in `aadTenantID`. Refused when any
    /// application of that tenant (the AKS server app for another cluster included) has it;
    /// checked inside the store's atomic update, so two clusters racing for one audience cannot
    /// both get it.
    func registerClusterAudience(_ audience: String, aadTenantID: String) async throws {
        if let owner = try await store.application(tenantID: aadTenantID, identifierURI: audience),
           owner.appID != WellKnownApplications.aksServerAppID {
            throw AdministrationError.alreadyExists("\(field: "audience") '\(audience)' is already an identifier URI of application '\(owner.displayName)' (\(owner.appID))")
        }
        let taken = AdministrationError.alreadyExists("\(field: "audience") '\(audience)' is already the audience of another cluster in the AAD tenant")
        do {
            try await store.updateApplication(tenantID: aadTenantID, appID: WellKnownApplications.aksServerAppID) { app in
                guard !app.identifierURIs.contains(audience) else { throw taken }
                app.identifierURIs.append(audience)
            }
        } catch let error as StoreError where error.code == .alreadyExists {
            throw AdministrationError.alreadyExists("\(field: "audience") '\(audience)' is already an identifier URI of another application in the AAD tenant")
        } catch let error as StoreError where error.code == .notFound {
            throw AdministrationError.notFound("the AAD tenant has no AKS server application to carry \(field: "audience")")
        }
    }

    /// Takes `audience` off the AKS server app again (cluster deleted, audience changed).
    func unregisterClusterAudience(_ audience: String, aadTenantID: String) async throws {
        do {
            try await store.updateApplication(tenantID: aadTenantID, appID: WellKnownApplications.aksServerAppID) { app in
                app.identifierURIs.removeAll { $0 == audience }
            }
        } catch let error as StoreError where error.code == .notFound {
            return
        }
    }
}
