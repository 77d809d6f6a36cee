/// What a Graph operation requires of its caller, as Entra decides it:
/// - app-only: the token's `roles` hold one of ``applicationPermissions``;
/// - delegated: the token's `scp` holds one of the same permissions as scopes, AND the user's
///   directory roles allow the action: one of ``directoryRoles``, or any member of the tenant
///   when the rule lists none (Entra's default user permissions let members read the directory).
public struct GraphAccessRule: Sendable, Hashable {
    public let applicationPermissions: [GraphPermission]
    /// Nil: any enabled member user may, given the scope.
    public let directoryRoles: [DirectoryRole]?

    public init(_ applicationPermissions: [GraphPermission], roles directoryRoles: [DirectoryRole]?) {
        self.applicationPermissions = applicationPermissions
        self.directoryRoles = directoryRoles
    }

    /// Any authenticated caller (paths that answer the same to everyone, such as an unknown segment).
    public static let anyCaller = GraphAccessRule([], roles: nil)
    /// `/me`: a person's own profile.
    public static let readSelf = GraphAccessRule(
        [.userRead, .userReadAll, .userReadWriteAll, .directoryReadAll, .directoryReadWriteAll], roles: nil)

    private static let readers: [DirectoryRole] = [.globalAdministrator, .globalReader]

    public static let readUsers = GraphAccessRule(
        [.userReadAll, .userReadWriteAll, .directoryReadAll, .directoryReadWriteAll], roles: nil)
    public static let writeUsers = GraphAccessRule(
        [.userReadWriteAll, .directoryReadWriteAll], roles: [.globalAdministrator, .userAdministrator])
    public static let readGroups = GraphAccessRule(
        [.groupReadAll, .groupReadWriteAll, .groupMemberReadAll, .groupMemberReadWriteAll, .directoryReadAll,
         .directoryReadWriteAll], roles: nil)
    public static let writeGroups = GraphAccessRule(
        [.groupReadWriteAll, .directoryReadWriteAll],
        roles: [.globalAdministrator, .groupsAdministrator, .userAdministrator])
    public static let writeGroupMembers = GraphAccessRule(
        [.groupMemberReadWriteAll, .groupReadWriteAll, .directoryReadWriteAll],
        roles: [.globalAdministrator, .groupsAdministrator, .userAdministrator])
    public static let readApplications = GraphAccessRule(
        [.applicationReadAll, .applicationReadWriteAll, .directoryReadAll, .directoryReadWriteAll], roles: nil)
    public static let writeApplications = GraphAccessRule(
        [.applicationReadWriteAll], roles: [.globalAdministrator, .applicationAdministrator])
    /// Granting app roles (Graph permissions above all) is a privilege of its own: an
    /// Application Administrator could otherwise grant itself `Directory.ReadWrite.All`.
    public static let grantAppRoles = GraphAccessRule(
        [.appRoleAssignmentReadWriteAll, .roleManagementReadWriteDirectory],
        roles: [.globalAdministrator, .privilegedRoleAdministrator])
    public static let readAppRoleAssignments = GraphAccessRule(
        [.applicationReadAll, .applicationReadWriteAll, .appRoleAssignmentReadWriteAll, .directoryReadAll,
         .directoryReadWriteAll], roles: nil)
    public static let readAuditLogs = GraphAccessRule(
        [.auditLogReadAll], roles: readers + [.reportsReader])
    /// The member-objects lookup behind the groups-overage claim, for someone else's object.
    public static let readMemberships = GraphAccessRule(
        [.groupMemberReadAll, .groupMemberReadWriteAll, .groupReadAll, .groupReadWriteAll, .userReadAll,
         .userReadWriteAll, .directoryReadAll, .directoryReadWriteAll], roles: nil)
    public static let readDevices = GraphAccessRule(
        [.deviceReadAll, .deviceReadWriteAll, .directoryReadAll, .directoryReadWriteAll], roles: nil)
    public static let writeDevices = GraphAccessRule([.deviceReadWriteAll], roles: [.globalAdministrator])
    public static let readPolicies = GraphAccessRule(
        [.policyReadAll, .policyReadWriteConditionalAccess],
        roles: readers + [.conditionalAccessAdministrator])
    public static let writeConditionalAccess = GraphAccessRule(
        [.policyReadWriteConditionalAccess], roles: [.globalAdministrator, .conditionalAccessAdministrator])
    /// PIM for groups: the scope lets a person through; who may do what (self-service for
    /// oneself, admin actions with a privileged role) is decided per request by ``PrivilegedAccess``.
    public static let privilegedAssignments = GraphAccessRule([.privilegedAssignmentScheduleReadWriteAzureADGroup], roles: nil)
    public static let privilegedEligibilities = GraphAccessRule(
        [.privilegedEligibilityScheduleReadWriteAzureADGroup, .privilegedAssignmentScheduleReadWriteAzureADGroup], roles: nil)
    public static let readPrivilegedAccessPolicies = GraphAccessRule(
        [.roleManagementPolicyReadWriteAzureADGroup, .privilegedAssignmentScheduleReadWriteAzureADGroup,
         .privilegedEligibilityScheduleReadWriteAzureADGroup], roles: nil)
    public static let writePrivilegedAccessPolicies = GraphAccessRule(
        [.roleManagementPolicyReadWriteAzureADGroup], roles: [.globalAdministrator, .privilegedRoleAdministrator])
    public static let manageDirectoryRoles = GraphAccessRule(
        [.roleManagementReadWriteDirectory], roles: [.globalAdministrator, .privilegedRoleAdministrator])
}
