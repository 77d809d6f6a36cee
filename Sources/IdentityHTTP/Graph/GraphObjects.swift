import Foundation
import IdentityCore
import OAuthProtocol

/// Directory objects in Microsoft Graph's v1.0 JSON shape (property names and types as the
/// Graph SDKs' models read them). Every object carries `@odata.type`, so a polymorphic
/// collection (`members`, `memberOf`) deserialises to the right model.
enum GraphObjects {
    static func date(_ date: Date?) -> JSONValue { date.map { .string(GraphDate.format($0)) } ?? .null }
    static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    static func user(_ user: User) -> JSONValue {
        .object([
            ("@odata.type", .string("#microsoft.graph.user")),
            ("id", .string(user.objectID)),
            ("accountEnabled", .bool(user.accountEnabled)),
            ("businessPhones", .array([])),
            ("createdDateTime", date(user.createdAt)),
            ("displayName", .string(user.displayName)),
            ("givenName", text(user.givenName)),
            ("jobTitle", .null),
            ("mail", .null),
            ("mailNickname", .string(String(user.userPrincipalName.split(separator: "@").first ?? ""))),
            ("mobilePhone", .null),
            ("officeLocation", .null),
            ("preferredLanguage", .null),
            ("surname", text(user.familyName)),
            ("userPrincipalName", .string(user.userPrincipalName)),
            ("userType", .string("Member")),
            ("lastPasswordChangeDateTime", date(user.passwordChangedAt)),
            ("signInSessionsValidFromDateTime", date(user.signInSessionsValidFrom ?? user.createdAt)),
        ])
    }

    static func group(_ group: Group) -> JSONValue {
        .object([
            ("@odata.type", .string("#microsoft.graph.group")),
            ("id", .string(group.objectID)),
            ("createdDateTime", date(group.createdAt)),
            ("description", text(group.description)),
            ("displayName", .string(group.displayName)),
            ("groupTypes", .array([])),
            ("isAssignableToRole", .bool(false)),
            ("mail", .null),
            ("mailEnabled", .bool(false)),
            ("mailNickname", .string(group.mailNickname)),
            ("securityEnabled", .bool(true)),
            ("securityIdentifier", .string(securityIdentifier(group.objectID))),
            ("visibility", .null),
        ])
    }

    static func servicePrincipal(_ principal: ServicePrincipal, application: IdentityCore.Application?) -> JSONValue {
        let isGraph = principal.appID == WellKnownApplications.graphAppID
        return .object([
            ("@odata.type", .string("#microsoft.graph.servicePrincipal")),
            ("id", .string(principal.objectID)),
            ("accountEnabled", .bool(principal.accountEnabled)),
            ("appDisplayName", .string(application?.displayName ?? principal.displayName)),
            ("appId", .string(principal.appID)),
            ("appOwnerOrganizationId", .string(principal.tenantID)),
            ("createdDateTime", date(principal.createdAt)),
            ("displayName", .string(principal.displayName)),
            ("servicePrincipalNames", .strings([principal.appID] + (application?.identifierURIs ?? []))),
            ("servicePrincipalType", .string("Application")),
            ("signInAudience", .string("AzureADMyOrg")),
            ("appRoles", .array(isGraph ? GraphPermission.all.map(appRole) : [])),
            ("oauth2PermissionScopes", .array((application?.exposedScopes ?? []).map { permissionScope($0, appID: principal.appID) })),
            ("passwordCredentials", .array([])),
            ("keyCredentials", .array([])),
        ])
    }

    static func application(_ application: IdentityCore.Application, secrets: [ClientSecretCredential] = [],
                            certificates: [CertificateCredential] = []) -> JSONValue {
        .object([
            ("@odata.type", .string("#microsoft.graph.application")),
            ("id", .string(application.objectID)),
            ("appId", .string(application.appID)),
            ("createdDateTime", date(application.createdAt)),
            ("displayName", .string(application.displayName)),
            ("identifierUris", .strings(application.identifierURIs)),
            ("isFallbackPublicClient", .bool(application.isPublicClient)),
            ("signInAudience", .string("AzureADMyOrg")),
            ("api", .object([
                ("requestedAccessTokenVersion", .integer(application.accessTokenVersion)),
                ("oauth2PermissionScopes", .array(application.exposedScopes.map { permissionScope($0, appID: application.appID) })),
            ])),
            ("publicClient", .object([("redirectUris", .strings(application.isPublicClient ? application.redirectURIs : []))])),
            ("web", .object([("redirectUris", .strings(application.isPublicClient ? [] : application.redirectURIs))])),
            ("passwordCredentials", .array(secrets.map { passwordCredential($0, secretText: nil) })),
            ("keyCredentials", .array(certificates.map(keyCredential))),
        ])
    }

    static func passwordCredential(_ secret: ClientSecretCredential, secretText: String?, displayName: String? = nil) -> JSONValue {
        .object([
            ("customKeyIdentifier", .null),
            ("displayName", text(displayName)),
            ("endDateTime", date(secret.expiresAt)),
            ("hint", .string(secret.hint)),
            ("keyId", .string(secret.id)),
            ("secretText", text(secretText)),
            ("startDateTime", date(secret.createdAt)),
        ])
    }

    static func keyCredential(_ certificate: CertificateCredential) -> JSONValue {
        .object([
            ("customKeyIdentifier", .string(certificate.sha1Thumbprint)),
            ("displayName", .null),
            ("endDateTime", date(certificate.notAfter)),
            ("key", .null),
            ("keyId", .string(certificate.id)),
            ("startDateTime", date(certificate.notBefore)),
            ("type", .string("AsymmetricX509Cert")),
            ("usage", .string("Verify")),
        ])
    }

    static func federatedCredential(_ credential: FederatedIdentityCredential) -> JSONValue {
        .object([
            ("id", .string(credential.id)),
            ("audiences", .strings(credential.audiences)),
            ("description", .null),
            ("issuer", .string(credential.issuer)),
            ("name", .string(credential.name)),
            ("subject", .string(credential.subject)),
        ])
    }

    static func appRoleAssignment(_ assignment: AppRoleAssignment, principalName: String?, resourceName: String?) -> JSONValue {
        .object([
            ("@odata.type", .string("#microsoft.graph.appRoleAssignment")),
            ("id", .string(assignment.id)),
            ("appRoleId", .string(assignment.appRoleID)),
            ("createdDateTime", date(assignment.createdAt)),
            ("deletedDateTime", .null),
            ("principalDisplayName", text(principalName)),
            ("principalId", .string(assignment.principalID)),
            ("principalType", .string(assignment.principalKind.rawValue)),
            ("resourceDisplayName", text(resourceName)),
            ("resourceId", .string(assignment.resourceID)),
        ])
    }

    /// A Graph permission as an app role of the Graph service principal.
    static func appRole(_ permission: GraphPermission) -> JSONValue {
        .object([
            ("allowedMemberTypes", .strings(["Application"])),
            ("description", .string(permission.summary)),
            ("displayName", .string(permission.summary)),
            ("id", .string(permission.appRoleID)),
            ("isEnabled", .bool(true)),
            ("origin", .string("Application")),
            ("value", .string(permission.name)),
        ])
    }

    static func permissionScope(_ name: String, appID: String) -> JSONValue {
        .object([
            ("id", .string(ObjectID.nameBased(namespace: appID, name: name.lowercased()))),
            ("isEnabled", .bool(true)),
            ("type", .string("Admin")),
            ("value", .string(name)),
        ])
    }

    /// A directory object of any kind, for polymorphic collections.
    static func member(_ object: DirectoryObjects.Object) -> JSONValue {
        switch object {
        case .user(let value): Self.user(value)
        case .group(let value): Self.group(value)
        case .servicePrincipal(let principal, let application): Self.servicePrincipal(principal, application: application)
        }
    }

    /// Entra's `securityIdentifier` for a group: `S-1-12-1-` and the object id's 16 bytes as four
    /// little-endian 32-bit numbers.
    static func securityIdentifier(_ objectID: String) -> String {
        guard let uuid = UUID(uuidString: objectID) else { return "" }
        let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
        // GUID text order stores the first three fields big-endian; Windows lays them out
        // little-endian, which is what the SID's numbers read.
        let windows = [bytes[3], bytes[2], bytes[1], bytes[0], bytes[5], bytes[4], bytes[7], bytes[6]] + Array(bytes[8..<16])
        let parts = stride(from: 0, to: 16, by: 4).map { offset -> UInt32 in
            UInt32(windows[offset]) | UInt32(windows[offset + 1]) << 8 | UInt32(windows[offset + 2]) << 16
                | UInt32(windows[offset + 3]) << 24
        }
        return "S-1-12-1-" + parts.map(String.init).joined(separator: "-")
    }
}
