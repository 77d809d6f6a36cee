import OAuthProtocol

/// The OpenAPI 3.1 description of the Microsoft Graph subset kubeid serves, at
/// `GET /v1.0/openapi.json` (no token needed: it describes, it does not list objects).
///
/// Built from one table of operations (``operations``) and one set of schemas, so the document
/// and docs/graph-api.md's path table can be checked against each other and against the live
/// server (the interop suite runs schemathesis against it). Schemas describe what kubeid
/// returns: properties Graph has and kubeid always answers null are typed as nullable, and no
/// property is `required` because `$select` may leave any of them out. Every operation's error
/// answers are the `default` response: Graph's error body.
enum GraphOpenAPIDocument {
    struct Operation: Sendable {
        let method: String
        let path: String
        let operationID: String
        let summary: String
        /// The application permissions that allow it, as the `security` requirement names them.
        let permissions: [String]
        var query: [Parameter] = []
        var body: String?
        var success: (status: Int, schema: JSONValue?) = (200, nil)
    }

    enum Parameter: Sendable {
        case top, filter, select, orderBy, count, skipToken, referenceID
    }

    static func document(baseURL: String) -> JSONValue {
        var paths: [(String, JSONValue)] = []
        for path in orderedPaths {
            let methods = operations.filter { $0.path == path }.map { ($0.method, operation($0)) }
            var members: [(String, JSONValue)] = []
            if let parameters = pathParameters(path) { members.append(("parameters", parameters)) }
            paths.append((path, .object(members + methods)))
        }
        return object(
            ("openapi", .string("3.1.0")),
            ("info", object(
                ("title", .string("kubeid Microsoft Graph subset")),
                ("version", .string("v1.0")),
                ("description", .string("The part of Microsoft Graph v1.0 that kubeid implements: users, groups, applications, service principals, audit logs and PIM for groups. The tenant is always the token's. See docs/graph-api.md.")))),
            ("servers", .array([object(("url", .string("\(baseURL)/v1.0")))])),
            ("security", .array([object(("bearer", .array([])))])),
            ("paths", .object(paths)),
            ("components", object(
                ("securitySchemes", object(("bearer", object(
                    ("type", .string("http")), ("scheme", .string("bearer")), ("bearerFormat", .string("JWT")),
                    ("description", .string("An access token kubeid issued for https://graph.microsoft.com (roles or scp).")))))),
                ("schemas", .object(schemas)),
                ("responses", object(("error", object(
                    ("description", .string("Graph's error body (400, 401, 403, 404, 413, 429, 503).")),
                    ("content", json(ref("error")))))))))
        )
    }

    // MARK: The operations

    static let readUsers = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"]
    static let writeUsers = ["User.ReadWrite.All", "Directory.ReadWrite.All"]
    static let readGroups = ["Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All", "GroupMember.ReadWrite.All",
                             "Directory.Read.All", "Directory.ReadWrite.All"]
    static let writeGroups = ["Group.ReadWrite.All", "Directory.ReadWrite.All"]
    static let writeMembers = ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"]
    static let readApplications = ["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"]
    static let writeApplications = ["Application.ReadWrite.All"]
    static let grantAppRoles = ["AppRoleAssignment.ReadWrite.All", "RoleManagement.ReadWrite.Directory"]
    static let readAuditLogs = ["AuditLog.Read.All"]

    static let listQuery: [Parameter] = [.top, .filter, .select, .orderBy, .count, .skipToken]

    static let operations: [Operation] = directoryOperations + privilegedAccessOperations

    static let directoryOperations: [Operation] = [
        Operation(method: "get", path: "/users", operationID: "users.list", summary: "List users", permissions: readUsers,
                  query: listQuery, success: (200, collection("user"))),
        Operation(method: "post", path: "/users", operationID: "users.create", summary: "Create a user", permissions: writeUsers,
                  body: "userCreate", success: (201, ref("user"))),
        Operation(method: "get", path: "/me", operationID: "me.get", summary: "The signed-in user (delegated tokens only)",
                  permissions: [], query: [.select], success: (200, ref("user"))),
        Operation(method: "get", path: "/users/{id}", operationID: "users.get", summary: "Get a user by id or userPrincipalName",
                  permissions: readUsers, query: [.select], success: (200, ref("user"))),
        Operation(method: "patch", path: "/users/{id}", operationID: "users.update", summary: "Update a user",
                  permissions: writeUsers, body: "userUpdate", success: (204, nil)),
        Operation(method: "delete", path: "/users/{id}", operationID: "users.delete", summary: "Delete a user",
                  permissions: writeUsers, success: (204, nil)),
        Operation(method: "get", path: "/users/{id}/memberOf", operationID: "users.memberOf", summary: "Groups the user is a direct member of",
                  permissions: readUsers, query: listQuery, success: (200, collection("directoryObject"))),
        Operation(method: "get", path: "/users/{id}/transitiveMemberOf", operationID: "users.transitiveMemberOf",
                  summary: "Groups the user is a member of, directly or through nested groups", permissions: readUsers,
                  query: listQuery, success: (200, collection("directoryObject"))),
        Operation(method: "post", path: "/users/{id}/getMemberGroups", operationID: "users.getMemberGroups",
                  summary: "Ids of the user's groups (transitive); the user's own token may call it", permissions: readGroups,
                  body: "memberObjectsRequest", success: (200, ref("stringCollection"))),
        Operation(method: "post", path: "/users/{id}/getMemberObjects", operationID: "users.getMemberObjects",
                  summary: "Ids of the user's groups and roles (transitive); the user's own token may call it", permissions: readGroups,
                  body: "memberObjectsRequest", success: (200, ref("stringCollection"))),
        Operation(method: "post", path: "/users/{id}/checkMemberGroups", operationID: "users.checkMemberGroups",
                  summary: "Which of up to 20 groups the user is a member of", permissions: readGroups,
                  body: "checkMemberGroupsRequest", success: (200, ref("stringCollection"))),
        Operation(method: "post", path: "/users/{id}/revokeSignInSessions", operationID: "users.revokeSignInSessions",
                  summary: "End the user's browser sessions, approved device codes and refresh tokens", permissions: writeUsers,
                  success: (200, ref("booleanValue"))),

        Operation(method: "get", path: "/groups", operationID: "groups.list", summary: "List groups", permissions: readGroups,
                  query: listQuery, success: (200, collection("group"))),
        Operation(method: "post", path: "/groups", operationID: "groups.create", summary: "Create a security group",
                  permissions: writeGroups, body: "groupCreate", success: (201, ref("group"))),
        Operation(method: "get", path: "/groups/{id}", operationID: "groups.get", summary: "Get a group", permissions: readGroups,
                  query: [.select], success: (200, ref("group"))),
        Operation(method: "patch", path: "/groups/{id}", operationID: "groups.update", summary: "Update a group",
                  permissions: writeGroups, body: "groupUpdate", success: (204, nil)),
        Operation(method: "delete", path: "/groups/{id}", operationID: "groups.delete", summary: "Delete a group",
                  permissions: writeGroups, success: (204, nil)),
        Operation(method: "get", path: "/groups/{id}/members", operationID: "groups.members", summary: "Direct members",
                  permissions: readGroups, query: listQuery, success: (200, collection("directoryObject"))),
        Operation(method: "get", path: "/groups/{id}/transitiveMembers", operationID: "groups.transitiveMembers",
                  summary: "Members, nested groups' members included", permissions: readGroups, query: listQuery,
                  success: (200, collection("directoryObject"))),
        Operation(method: "get", path: "/groups/{id}/memberOf", operationID: "groups.memberOf", summary: "Groups this group is in",
                  permissions: readGroups, query: listQuery, success: (200, collection("directoryObject"))),
        Operation(method: "get", path: "/groups/{id}/transitiveMemberOf", operationID: "groups.transitiveMemberOf",
                  summary: "Groups this group is in, transitively", permissions: readGroups, query: listQuery,
                  success: (200, collection("directoryObject"))),
        Operation(method: "post", path: "/groups/{id}/members/$ref", operationID: "groups.members.add",
                  summary: "Add a member by reference", permissions: writeMembers, body: "reference", success: (204, nil)),
        Operation(method: "delete", path: "/groups/{id}/members/$ref", operationID: "groups.members.removeByReference",
                  summary: "Remove a member named by ?@id=<reference URL>", permissions: writeMembers, query: [.referenceID],
                  success: (204, nil)),
        Operation(method: "delete", path: "/groups/{id}/members/{memberId}/$ref", operationID: "groups.members.remove",
                  summary: "Remove a member", permissions: writeMembers, success: (204, nil)),

        Operation(method: "get", path: "/applications", operationID: "applications.list", summary: "List applications",
                  permissions: readApplications, query: listQuery, success: (200, collection("application"))),
        Operation(method: "post", path: "/applications", operationID: "applications.create",
                  summary: "Create an application (and its service principal)", permissions: writeApplications,
                  body: "applicationCreate", success: (201, ref("application"))),
        Operation(method: "get", path: "/applications/{id}", operationID: "applications.get", summary: "Get an application by object id",
                  permissions: readApplications, query: [.select], success: (200, ref("application"))),
        Operation(method: "patch", path: "/applications/{id}", operationID: "applications.update", summary: "Update an application",
                  permissions: writeApplications, body: "applicationUpdate", success: (204, nil)),
        Operation(method: "delete", path: "/applications/{id}", operationID: "applications.delete",
                  summary: "Delete an application and its service principal", permissions: writeApplications, success: (204, nil)),
        Operation(method: "get", path: "/applications(appId='{appId}')", operationID: "applications.getByAppId",
                  summary: "Get an application by client id", permissions: readApplications, query: [.select],
                  success: (200, ref("application"))),
        Operation(method: "patch", path: "/applications(appId='{appId}')", operationID: "applications.updateByAppId",
                  summary: "Update an application by client id", permissions: writeApplications, body: "applicationUpdate",
                  success: (204, nil)),
        Operation(method: "delete", path: "/applications(appId='{appId}')", operationID: "applications.deleteByAppId",
                  summary: "Delete an application by client id", permissions: writeApplications, success: (204, nil)),
        Operation(method: "post", path: "/applications/{id}/addPassword", operationID: "applications.addPassword",
                  summary: "Add a client secret (secretText is shown only in this answer)", permissions: writeApplications,
                  body: "addPasswordRequest", success: (200, ref("passwordCredential"))),
        Operation(method: "post", path: "/applications/{id}/removePassword", operationID: "applications.removePassword",
                  summary: "Remove a client secret", permissions: writeApplications, body: "removePasswordRequest",
                  success: (204, nil)),
        Operation(method: "get", path: "/applications/{id}/federatedIdentityCredentials",
                  operationID: "applications.federatedIdentityCredentials.list", summary: "List federated identity credentials",
                  permissions: readApplications, query: listQuery, success: (200, collection("federatedIdentityCredential"))),
        Operation(method: "post", path: "/applications/{id}/federatedIdentityCredentials",
                  operationID: "applications.federatedIdentityCredentials.create", summary: "Trust tokens from an external issuer",
                  permissions: writeApplications, body: "federatedIdentityCredentialCreate",
                  success: (201, ref("federatedIdentityCredential"))),

        Operation(method: "get", path: "/servicePrincipals", operationID: "servicePrincipals.list", summary: "List service principals",
                  permissions: readApplications, query: listQuery, success: (200, collection("servicePrincipal"))),
        Operation(method: "post", path: "/servicePrincipals", operationID: "servicePrincipals.create",
                  summary: "The service principal of an application (answers the existing one)", permissions: writeApplications,
                  body: "servicePrincipalCreate", success: (201, ref("servicePrincipal"))),
        Operation(method: "get", path: "/servicePrincipals/{id}", operationID: "servicePrincipals.get", summary: "Get a service principal",
                  permissions: readApplications, query: [.select], success: (200, ref("servicePrincipal"))),
        Operation(method: "patch", path: "/servicePrincipals/{id}", operationID: "servicePrincipals.update",
                  summary: "Enable or disable a service principal", permissions: writeApplications, body: "servicePrincipalUpdate",
                  success: (204, nil)),
        Operation(method: "delete", path: "/servicePrincipals/{id}", operationID: "servicePrincipals.delete",
                  summary: "Delete a service principal and its application", permissions: writeApplications, success: (204, nil)),
        Operation(method: "post", path: "/servicePrincipals/{id}/addPassword", operationID: "servicePrincipals.addPassword",
                  summary: "Add a client secret", permissions: writeApplications, body: "addPasswordRequest",
                  success: (200, ref("passwordCredential"))),
        Operation(method: "post", path: "/servicePrincipals/{id}/removePassword", operationID: "servicePrincipals.removePassword",
                  summary: "Remove a client secret", permissions: writeApplications, body: "removePasswordRequest", success: (204, nil)),
        Operation(method: "post", path: "/servicePrincipals/{id}/getMemberGroups", operationID: "servicePrincipals.getMemberGroups",
                  summary: "Ids of the service principal's groups (transitive)", permissions: readGroups,
                  body: "memberObjectsRequest", success: (200, ref("stringCollection"))),
        Operation(method: "post", path: "/servicePrincipals/{id}/getMemberObjects", operationID: "servicePrincipals.getMemberObjects",
                  summary: "Ids of the service principal's groups (transitive)", permissions: readGroups,
                  body: "memberObjectsRequest", success: (200, ref("stringCollection"))),
        Operation(method: "get", path: "/servicePrincipals/{id}/appRoleAssignments", operationID: "servicePrincipals.appRoleAssignments.list",
                  summary: "App roles (Graph permissions) granted to the service principal", permissions: readApplications,
                  query: listQuery, success: (200, collection("appRoleAssignment"))),
        Operation(method: "post", path: "/servicePrincipals/{id}/appRoleAssignments",
                  operationID: "servicePrincipals.appRoleAssignments.create", summary: "Grant an app role (admin consent included)",
                  permissions: grantAppRoles, body: "appRoleAssignmentCreate", success: (201, ref("appRoleAssignment"))),
        Operation(method: "delete", path: "/servicePrincipals/{id}/appRoleAssignments/{assignmentId}",
                  operationID: "servicePrincipals.appRoleAssignments.delete", summary: "Revoke an app role", permissions: grantAppRoles,
                  success: (204, nil)),

        Operation(method: "get", path: "/auditLogs/signIns", operationID: "auditLogs.signIns.list",
                  summary: "The sign-in log, newest first, 1,000 a page", permissions: readAuditLogs,
                  query: [.top, .filter, .select, .skipToken], success: (200, collection("signIn"))),
        Operation(method: "get", path: "/auditLogs/signIns/{id}", operationID: "auditLogs.signIns.get", summary: "One sign-in",
                  permissions: readAuditLogs, query: [.select], success: (200, ref("signIn"))),
        Operation(method: "get", path: "/auditLogs/directoryAudits", operationID: "auditLogs.directoryAudits.list",
                  summary: "The administration trail", permissions: readAuditLogs, query: listQuery,
                  success: (200, collection("directoryAudit"))),
    ]

    /// Paths in the order the operations first name them.
    static var orderedPaths: [String] {
        var seen: Set<String> = []
        return operations.map(\.path).filter { seen.insert($0).inserted }
    }

    private static func operation(_ operation: Operation) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("operationId", .string(operation.operationID)),
            ("summary", .string(operation.summary)),
        ]
        if !operation.permissions.isEmpty {
            members.append(("description", .string("Application permissions (any of): \(operation.permissions.joined(separator: ", ")). Delegated callers need the same scope and a directory role that allows it.")))
        }
        if !operation.query.isEmpty { members.append(("parameters", .array(operation.query.map(parameter)))) }
        if let body = operation.body {
            members.append(("requestBody", object(("required", .bool(true)), ("content", json(ref(body))))))
        }
        var success: [(String, JSONValue)] = [("description", .string(operation.success.status == 204 ? "Done." : "The result."))]
        if let schema = operation.success.schema {
            success.append(("content", json(schema)))
        }
        members.append(("responses", object(
            (String(operation.success.status), .object(success)),
            ("default", object(("$ref", .string("#/components/responses/error"))))
        )))
        return .object(members)
    }

    private static func pathParameters(_ path: String) -> JSONValue? {
        let names = path.split(separator: "{").dropFirst().compactMap { $0.split(separator: "}").first.map(String.init) }
        guard !names.isEmpty else { return nil }
        return .array(names.map { name in
            object(("name", .string(name)), ("in", .string("path")), ("required", .bool(true)),
                   ("schema", object(("type", .string("string")))))
        })
    }

    private static func parameter(_ parameter: Parameter) -> JSONValue {
        func query(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
            object(("name", .string(name)), ("in", .string("query")), ("required", .bool(false)),
                   ("description", .string(description)), ("schema", schema))
        }
        switch parameter {
        case .top:
            return query("$top", object(("type", .string("integer")), ("minimum", .integer(1)), ("maximum", .integer(999))),
                         "Page size.")
        case .filter:
            return query("$filter", string, "OData filter: eq, ne, gt, ge, lt, le, in, startsWith, endsWith, not, and, or, any().")
        case .select:
            return query("$select", string, "Comma-separated properties to return.")
        case .orderBy:
            return query("$orderby", string, "A property, then asc or desc.")
        case .count:
            return query("$count", object(("type", .string("boolean"))), "Include @odata.count (needs ConsistencyLevel: eventual).")
        case .skipToken:
            return query("$skiptoken", string, "From @odata.nextLink; follow the link verbatim.")
        case .referenceID:
            return query("@id", string, "The member's reference URL; the last path segment is its id.")
        }
    }

    // MARK: Schemas

    private static var schemas: [(String, JSONValue)] { directorySchemas + privilegedAccessSchemas }

    private static var directorySchemas: [(String, JSONValue)] {
        [
            ("user", entity("#microsoft.graph.user", [
                ("accountEnabled", boolean), ("businessPhones", strings), ("createdDateTime", nullable(dateTime)),
                ("displayName", string), ("givenName", nullable(string)), ("jobTitle", nullable(string)),
                ("mail", nullable(string)), ("mailNickname", string), ("mobilePhone", nullable(string)),
                ("officeLocation", nullable(string)), ("preferredLanguage", nullable(string)), ("surname", nullable(string)),
                ("userPrincipalName", string), ("userType", string), ("lastPasswordChangeDateTime", nullable(dateTime)),
                ("signInSessionsValidFromDateTime", nullable(dateTime)),
            ])),
            ("group", entity("#microsoft.graph.group", [
                ("createdDateTime", nullable(dateTime)), ("description", nullable(string)), ("displayName", string),
                ("groupTypes", strings), ("isAssignableToRole", boolean), ("mail", nullable(string)), ("mailEnabled", boolean),
                ("mailNickname", string), ("securityEnabled", boolean), ("securityIdentifier", string),
                ("visibility", nullable(string)),
            ])),
            ("application", entity("#microsoft.graph.application", [
                ("appId", string), ("createdDateTime", nullable(dateTime)), ("displayName", string),
                ("identifierUris", strings), ("isFallbackPublicClient", boolean), ("signInAudience", string),
                ("api", properties([("requestedAccessTokenVersion", nullable(integer)),
                                    ("oauth2PermissionScopes", array(ref("permissionScope")))])),
                ("publicClient", properties([("redirectUris", strings)])),
                ("web", properties([("redirectUris", strings)])),
                ("passwordCredentials", array(ref("passwordCredential"))),
                ("keyCredentials", array(ref("keyCredential"))),
            ])),
            ("servicePrincipal", entity("#microsoft.graph.servicePrincipal", [
                ("accountEnabled", boolean), ("appDisplayName", nullable(string)), ("appId", string),
                ("appOwnerOrganizationId", nullable(uuid)), ("createdDateTime", nullable(dateTime)), ("displayName", string),
                ("servicePrincipalNames", strings), ("servicePrincipalType", string), ("signInAudience", string),
                ("appRoles", array(ref("appRole"))), ("oauth2PermissionScopes", array(ref("permissionScope"))),
                ("passwordCredentials", array(ref("passwordCredential"))), ("keyCredentials", array(ref("keyCredential"))),
            ])),
            ("directoryObject", object(("anyOf", .array([ref("user"), ref("group"), ref("servicePrincipal")])))),
            ("passwordCredential", properties([
                ("customKeyIdentifier", nullable(string)), ("displayName", nullable(string)), ("endDateTime", nullable(dateTime)),
                ("hint", nullable(string)), ("keyId", uuid), ("secretText", nullable(string)), ("startDateTime", nullable(dateTime)),
            ])),
            ("keyCredential", properties([
                ("customKeyIdentifier", nullable(string)), ("displayName", nullable(string)), ("endDateTime", nullable(dateTime)),
                ("key", nullable(string)), ("keyId", uuid), ("startDateTime", nullable(dateTime)), ("type", string),
                ("usage", string),
            ])),
            ("federatedIdentityCredential", properties([
                ("id", uuid), ("audiences", strings), ("description", nullable(string)), ("issuer", string), ("name", string),
                ("subject", string),
            ])),
            ("appRoleAssignment", entity("#microsoft.graph.appRoleAssignment", [
                ("appRoleId", uuid), ("createdDateTime", nullable(dateTime)), ("deletedDateTime", nullable(dateTime)),
                ("principalDisplayName", nullable(string)), ("principalId", uuid), ("principalType", string),
                ("resourceDisplayName", nullable(string)), ("resourceId", uuid),
            ])),
            ("appRole", properties([
                ("allowedMemberTypes", strings), ("description", string), ("displayName", string), ("id", uuid),
                ("isEnabled", boolean), ("origin", string), ("value", string),
            ])),
            ("permissionScope", properties([("id", uuid), ("isEnabled", boolean), ("type", string), ("value", string)])),
            ("signIn", properties([
                ("id", string), ("createdDateTime", dateTime), ("userDisplayName", nullable(string)),
                ("userPrincipalName", nullable(string)), ("userId", nullable(string)), ("appId", nullable(string)),
                ("appDisplayName", nullable(string)), ("ipAddress", nullable(string)), ("clientAppUsed", nullable(string)),
                ("correlationId", string), ("isInteractive", boolean), ("resourceDisplayName", nullable(string)),
                ("resourceId", nullable(string)), ("resourceTenantId", string), ("conditionalAccessStatus", string),
                ("status", properties([("errorCode", integer), ("failureReason", nullable(string)),
                                       ("additionalDetails", nullable(string))])),
                ("appliedConditionalAccessPolicies", array(object(("type", .string("object"))))),
            ])),
            ("directoryAudit", properties([
                ("id", string), ("activityDateTime", dateTime), ("activityDisplayName", string), ("category", string),
                ("correlationId", nullable(string)), ("loggedByService", string), ("operationType", string),
                ("result", string), ("resultReason", nullable(string)),
                ("initiatedBy", object(("type", .string("object")))), ("targetResources", array(object(("type", .string("object"))))),
            ])),
            ("stringCollection", properties([("@odata.context", string), ("value", strings)], required: ["value"])),
            ("booleanValue", properties([("@odata.context", string), ("value", boolean)], required: ["value"])),
            ("error", properties([("error", properties([
                ("code", string), ("message", string),
                ("innerError", properties([("date", dateTime), ("request-id", string), ("client-request-id", string)],
                                          required: ["date", "request-id"])),
            ], required: ["code", "message", "innerError"]))], required: ["error"])),

            ("userCreate", properties([
                ("accountEnabled", boolean), ("displayName", string), ("mailNickname", string), ("userPrincipalName", string),
                ("passwordProfile", ref("passwordProfile")), ("givenName", string), ("surname", string),
            ], required: ["accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile"])),
            ("userUpdate", properties([
                ("accountEnabled", boolean), ("displayName", string), ("givenName", nullable(string)), ("surname", nullable(string)),
                ("passwordProfile", ref("passwordProfile")),
            ])),
            ("passwordProfile", properties([("password", string), ("forceChangePasswordNextSignIn", boolean)],
                                           required: ["password"])),
            ("groupCreate", properties([
                ("displayName", string), ("mailNickname", string), ("mailEnabled", object(("const", .bool(false)))),
                ("securityEnabled", object(("const", .bool(true)))), ("description", string),
                ("groupTypes", object(("type", .string("array")), ("maxItems", .integer(0)))),
                ("members@odata.bind", object(("type", .string("array")), ("items", string), ("maxItems", .integer(20)))),
            ], required: ["displayName", "mailNickname", "mailEnabled", "securityEnabled"])),
            ("groupUpdate", properties([
                ("displayName", string), ("mailNickname", string), ("description", nullable(string)),
                ("members@odata.bind", object(("type", .string("array")), ("items", string), ("maxItems", .integer(20)))),
            ])),
            ("applicationCreate", properties([
                ("displayName", string), ("identifierUris", strings), ("isFallbackPublicClient", boolean),
                ("signInAudience", object(("const", .string("AzureADMyOrg")))),
                ("publicClient", properties([("redirectUris", strings)])), ("web", properties([("redirectUris", strings)])),
                ("api", properties([("requestedAccessTokenVersion", object(("enum", .array([.integer(1), .integer(2)]))))])),
            ], required: ["displayName"])),
            ("applicationUpdate", properties([
                ("displayName", string), ("isFallbackPublicClient", boolean),
                ("publicClient", properties([("redirectUris", strings)])), ("web", properties([("redirectUris", strings)])),
            ])),
            ("addPasswordRequest", properties([("passwordCredential", properties([
                ("displayName", string), ("startDateTime", dateTime), ("endDateTime", dateTime),
            ]))])),
            ("removePasswordRequest", properties([("keyId", uuid)], required: ["keyId"])),
            ("federatedIdentityCredentialCreate", properties([
                ("name", string), ("issuer", string), ("subject", string), ("audiences", strings), ("description", string),
            ], required: ["name", "issuer", "subject"])),
            ("servicePrincipalCreate", properties([("appId", uuid)], required: ["appId"])),
            ("servicePrincipalUpdate", properties([("accountEnabled", boolean)])),
            ("appRoleAssignmentCreate", properties([("principalId", uuid), ("resourceId", uuid), ("appRoleId", uuid)],
                                                   required: ["principalId", "resourceId", "appRoleId"])),
            ("reference", properties([("@odata.id", string)], required: ["@odata.id"])),
            ("memberObjectsRequest", properties([("securityEnabledOnly", boolean)])),
            ("checkMemberGroupsRequest", properties([("groupIds", object(("type", .string("array")), ("items", uuid),
                                                                         ("maxItems", .integer(20))))],
                                                    required: ["groupIds"])),
        ]
    }

    // MARK: Schema vocabulary

    static let string = object(("type", .string("string")))
    static let boolean = object(("type", .string("boolean")))
    static let integer = object(("type", .string("integer")))
    static let dateTime = object(("type", .string("string")), ("format", .string("date-time")))
    static let uuid = object(("type", .string("string")), ("format", .string("uuid")))
    static let strings = array(string)

    static func object(_ members: (String, JSONValue)...) -> JSONValue { .object(members) }
    /// A `content` map with one `application/json` media type.
    static func json(_ schema: JSONValue) -> JSONValue { object(("application/json", object(("schema", schema)))) }
    static func ref(_ name: String) -> JSONValue { object(("$ref", .string("#/components/schemas/\(name)"))) }
    static func array(_ items: JSONValue) -> JSONValue { object(("type", .string("array")), ("items", items)) }

    /// `schema` or null (OpenAPI 3.1 is JSON Schema 2020-12: `null` is a type of its own).
    static func nullable(_ schema: JSONValue) -> JSONValue { object(("anyOf", .array([schema, object(("type", .string("null")))]))) }

    static func properties(_ members: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        var schema: [(String, JSONValue)] = [("type", .string("object")), ("properties", .object(members))]
        if !required.isEmpty { schema.append(("required", .strings(required))) }
        return .object(schema)
    }

    /// A directory entity: its `@odata.type` and `id`, then its own properties.
    static func entity(_ type: String, _ members: [(String, JSONValue)]) -> JSONValue {
        properties([("@odata.type", object(("const", .string(type)))), ("id", uuid)] + members)
    }

    /// A Graph collection page of `item`.
    static func collection(_ item: String) -> JSONValue {
        properties([("@odata.context", string), ("@odata.count", integer), ("@odata.nextLink", string),
                    ("value", array(ref(item)))], required: ["value"])
    }
}
