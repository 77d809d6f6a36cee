/// A Microsoft Graph permission kubeid understands, with Microsoft's published name and
/// application-permission (app role) id, so grants made by scripts written for Entra
/// (`appRoleId` in `POST /servicePrincipals/{id}/appRoleAssignments`) mean the same here.
///
/// The same name is also a delegated scope of the Graph resource (`scp`), which is what a
/// signed-in person's token carries instead of `roles`.
/// See https://learn.microsoft.com/graph/permissions-reference.
public struct GraphPermission: Sendable, Hashable {
    /// `User.Read.All`, as it appears in `roles` and `scp`.
    public let name: String
    /// The application permission's app role id.
    public let appRoleID: String
    /// What the permission allows, for listings.
    public let summary: String

    /// Delegated only (no app role): sign in and read one's own profile.
    public static let userRead = GraphPermission(name: "User.Read", appRoleID: "", summary: "Sign in and read user profile")
    public static let userReadAll = GraphPermission(name: "User.Read.All", appRoleID: "df021288-bdef-4463-88db-98f22de89214",
                                                    summary: "Read all users' full profiles")
    public static let userReadWriteAll = GraphPermission(name: "User.ReadWrite.All", appRoleID: "741f803b-c850-494e-b5df-cde7c675a1ca",
                                                         summary: "Read and write all users' full profiles")
    public static let groupReadAll = GraphPermission(name: "Group.Read.All", appRoleID: "5b567255-7703-4780-807c-7be8301ae99b",
                                                     summary: "Read all groups")
    public static let groupReadWriteAll = GraphPermission(name: "Group.ReadWrite.All", appRoleID: "62a82d76-70ea-41e2-9197-370581804d09",
                                                          summary: "Read and write all groups")
    public static let groupMemberReadAll = GraphPermission(name: "GroupMember.Read.All", appRoleID: "98830695-27a2-44f7-8c18-0c3ebc9698f6",
                                                           summary: "Read all group memberships")
    public static let groupMemberReadWriteAll = GraphPermission(
        name: "GroupMember.ReadWrite.All", appRoleID: "dbaae8cf-10b5-4b86-a4a1-f871c94c6695",
        summary: "Read and write all group memberships")
    public static let applicationReadAll = GraphPermission(name: "Application.Read.All", appRoleID: "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
                                                           summary: "Read all applications")
    public static let applicationReadWriteAll = GraphPermission(
        name: "Application.ReadWrite.All", appRoleID: "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
        summary: "Read and write all applications")
    public static let appRoleAssignmentReadWriteAll = GraphPermission(
        name: "AppRoleAssignment.ReadWrite.All", appRoleID: "06b708a9-e830-4db3-a914-8e69da51d44f",
        summary: "Manage app permission grants and app role assignments")
    public static let deviceReadAll = GraphPermission(name: "Device.Read.All", appRoleID: "7438b122-aefc-4978-80ed-43db9fcc7715",
                                                      summary: "Read all devices")
    public static let deviceReadWriteAll = GraphPermission(name: "Device.ReadWrite.All", appRoleID: "1138cb37-bd11-4084-a2b7-9f71582aeddb",
                                                           summary: "Read and write devices")
    public static let directoryReadAll = GraphPermission(name: "Directory.Read.All", appRoleID: "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
                                                         summary: "Read directory data")
    public static let directoryReadWriteAll = GraphPermission(
        name: "Directory.ReadWrite.All", appRoleID: "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
        summary: "Read and write directory data")
    public static let policyReadAll = GraphPermission(name: "Policy.Read.All", appRoleID: "246dd0d5-5bd0-4def-940b-0421030a5b68",
                                                      summary: "Read your organization's policies")
    public static let policyReadWriteConditionalAccess = GraphPermission(
        name: "Policy.ReadWrite.ConditionalAccess", appRoleID: "01c0a623-fc9b-48e9-b794-0756f8e8f067",
        summary: "Read and write your organization's conditional access policies")
    public static let auditLogReadAll = GraphPermission(name: "AuditLog.Read.All", appRoleID: "b0afded3-3588-46d8-8b3d-9842eff778da",
                                                        summary: "Read all audit log data")
    public static let roleManagementReadWriteDirectory = GraphPermission(
        name: "RoleManagement.ReadWrite.Directory", appRoleID: "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8",
        summary: "Read and write all directory RBAC settings")
    public static let privilegedAssignmentScheduleReadWriteAzureADGroup = GraphPermission(
        name: "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup", appRoleID: "41202f2c-f7ab-45be-b001-85c9728b9d69",
        summary: "Read, create, and delete assignment schedules for access to groups")
    public static let privilegedEligibilityScheduleReadWriteAzureADGroup = GraphPermission(
        name: "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup", appRoleID: "618b6020-bca8-4de6-99f6-ef445fa4d857",
        summary: "Read, create, and delete eligibility schedules for access to groups")
    public static let roleManagementPolicyReadWriteAzureADGroup = GraphPermission(
        name: "RoleManagementPolicy.ReadWrite.AzureADGroup", appRoleID: "b38dcc4d-a239-4ed6-aa84-6c65b284f97c",
        summary: "Read and write role management policies for groups")

    /// Every permission kubeid knows, in listing order.
    public static let all: [GraphPermission] = [
        .userReadAll, .userReadWriteAll, .groupReadAll, .groupReadWriteAll, .groupMemberReadAll, .groupMemberReadWriteAll,
        .applicationReadAll, .applicationReadWriteAll, .appRoleAssignmentReadWriteAll, .deviceReadAll, .deviceReadWriteAll,
        .directoryReadAll, .directoryReadWriteAll, .policyReadAll, .policyReadWriteConditionalAccess, .auditLogReadAll,
        .roleManagementReadWriteDirectory, .privilegedAssignmentScheduleReadWriteAzureADGroup,
        .privilegedEligibilityScheduleReadWriteAzureADGroup, .roleManagementPolicyReadWriteAzureADGroup,
    ]

    /// The permission with this name (ignoring case, as Entra compares scope names) or app role id.
    public static func named(_ nameOrID: String) -> GraphPermission? {
        let folded = nameOrID.lowercased()
        return all.first { $0.name.lowercased() == folded || $0.appRoleID == folded }
            ?? (folded == userRead.name.lowercased() ? userRead : nil)
    }

    /// The delegated scopes the Graph resource exposes: every permission's name, plus the
    /// sign-in scope `User.Read` that every client may ask for.
    public static var delegatedScopeNames: [String] { ["User.Read"] + all.map(\.name) }
}
