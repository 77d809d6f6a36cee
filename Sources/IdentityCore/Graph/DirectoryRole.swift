/// A built-in directory role, with Entra's display name and template id: the id delegated
/// tokens carry in `wids` and Graph's `roleDefinitionId`.
/// See https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference.
public struct DirectoryRole: Sendable, Hashable {
    public let displayName: String
    public let templateID: String
    public let summary: String

    public static let globalAdministrator = DirectoryRole(
        displayName: "Global Administrator", templateID: "62e90394-69f5-4237-9190-012177145e10",
        summary: "Every administrative action, including granting roles")
    public static let globalReader = DirectoryRole(
        displayName: "Global Reader", templateID: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
        summary: "Read everything a Global Administrator can, change nothing")
    public static let userAdministrator = DirectoryRole(
        displayName: "User Administrator", templateID: "fe930be7-5e62-47db-91af-98c3a49a38b1",
        summary: "Users and groups, except users who hold an administrator role")
    public static let groupsAdministrator = DirectoryRole(
        displayName: "Groups Administrator", templateID: "fdd7a751-b60b-444a-984c-02652fe8fa1c",
        summary: "Groups and their members")
    public static let applicationAdministrator = DirectoryRole(
        displayName: "Application Administrator", templateID: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
        summary: "Applications, service principals and their credentials")
    public static let conditionalAccessAdministrator = DirectoryRole(
        displayName: "Conditional Access Administrator", templateID: "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
        summary: "Conditional Access policies")
    public static let privilegedRoleAdministrator = DirectoryRole(
        displayName: "Privileged Role Administrator", templateID: "e8611ab8-c189-46e8-94e1-60213ab1f814",
        summary: "Directory roles, app permission grants and just-in-time (PIM) assignments")
    public static let reportsReader = DirectoryRole(
        displayName: "Reports Reader", templateID: "4a5d8f65-41da-4de4-8968-e035b65339cf",
        summary: "Sign-in logs and the directory audit trail")

    public static let all: [DirectoryRole] = [
        .globalAdministrator, .globalReader, .userAdministrator, .groupsAdministrator, .applicationAdministrator,
        .conditionalAccessAdministrator, .privilegedRoleAdministrator, .reportsReader,
    ]

    /// The role with this display name (ignoring case and spaces, so `groups-administrator`
    /// and `GroupsAdministrator` work on a command line) or template id.
    public static func named(_ nameOrID: String) -> DirectoryRole? {
        func fold(_ text: String) -> String { text.lowercased().filter { $0.isLetter || $0.isNumber } }
        let folded = fold(nameOrID)
        return all.first { fold($0.displayName) == folded || $0.templateID == nameOrID.lowercased() }
    }
}
