import Foundation
import IdentityCore
import OAuthProtocol

/// How directory objects print, member order as `az` prints them.
enum DirectoryJSON {
    static func tenant(_ tenant: IdentityCore.Tenant) -> JSONValue {
        .object([("id", .string(tenant.id)), ("name", .string(tenant.name)), ("createdDateTime", date(tenant.createdAt))])
    }

    static func group(_ group: IdentityCore.Group) -> JSONValue {
        .object([("id", .string(group.objectID)), ("displayName", .string(group.displayName)),
                 ("mailNickname", .string(group.mailNickname)), ("securityEnabled", .bool(true)),
                 ("createdDateTime", date(group.createdAt))])
    }

    static func membership(_ membership: GroupMembership) -> JSONValue {
        .object([("id", .string(membership.memberID)), ("memberType", .string(membership.memberKind.rawValue))])
    }

    static func servicePrincipal(_ principal: IdentityCore.ServicePrincipal, application: Application? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(principal.objectID)), ("appId", .string(principal.appID)),
            ("displayName", .string(principal.displayName)), ("accountEnabled", .bool(principal.accountEnabled)),
            ("appOwnerOrganizationId", .string(principal.tenantID)),
        ]
        if let application {
            members.append(("servicePrincipalType", .string("Application")))
            members.append(("publicClient", .bool(application.isPublicClient)))
        }
        return .object(members)
    }

    static func application(_ application: Application) -> JSONValue {
        .object([("appId", .string(application.appID)), ("id", .string(application.objectID)),
                 ("displayName", .string(application.displayName)),
                 ("identifierUris", .strings(application.identifierURIs)),
                 ("accessTokenAcceptedVersion", .integer(application.accessTokenVersion)),
                 ("isFallbackPublicClient", .bool(application.isPublicClient)),
                 ("oauth2PermissionScopes", .strings(application.exposedScopes)),
                 ("redirectUris", .strings(application.redirectURIs)),
                 ("allowPasswordGrant", .bool(application.isPasswordGrantEnabled)),
                 ("allowCodeWithoutPkce", .bool(application.allowsCodeWithoutPKCE))])
    }

    /// `az ad sp create-for-rbac` / `credential reset` output.
    static func registration(_ registration: ServicePrincipalRegistration) -> JSONValue {
        var members: [(String, JSONValue)] = [("appId", .string(registration.application.appID)),
                                              ("displayName", .string(registration.application.displayName))]
        if let password = registration.password { members.append(("password", .string(password))) }
        if let file = registration.certificateFile { members.append(("fileWithCertAndPrivateKey", .string(file))) }
        members.append(("tenant", .string(registration.tenant.id)))
        return .object(members)
    }

    static func federatedCredential(_ credential: FederatedIdentityCredential) -> JSONValue {
        .object([("id", .string(credential.id)), ("name", .string(credential.name)), ("issuer", .string(credential.issuer)),
                 ("subject", .string(credential.subject)), ("audiences", .strings(credential.audiences))])
    }

    /// Microsoft Graph's user shape (no password hash, no TOTP secret).
    static func user(_ user: IdentityCore.User) -> JSONValue {
        .object([("id", .string(user.objectID)), ("userPrincipalName", .string(user.userPrincipalName)),
                 ("displayName", .string(user.displayName)), ("givenName", user.givenName.map(JSONValue.string) ?? .null),
                 ("surname", user.familyName.map(JSONValue.string) ?? .null), ("accountEnabled", .bool(user.accountEnabled)),
                 ("mfaEnabled", .bool(user.totp != nil)), ("createdDateTime", date(user.createdAt)),
                 ("signInSessionsValidFromDateTime", user.signInSessionsValidFrom.map(date) ?? .null)])
    }

    static func date(_ date: Date) -> JSONValue {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return .string(formatter.string(from: date))
    }
}
