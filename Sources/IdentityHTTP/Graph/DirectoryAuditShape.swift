import Foundation
import IdentityCore
import OAuthProtocol

/// An administration event of the audit trail as Graph's `directoryAudit`: activity, category
/// and operation from the event kind, who initiated it (the CLI, a user or an app), and the
/// object it changed.
enum DirectoryAuditShape {
    private struct Activity {
        var displayName: String
        var category: String
        var operation: String
        var targetType: String
    }

    private static let activities: [String: Activity] = [
        "tenant.created": Activity(displayName: "Add tenant", category: "DirectoryManagement", operation: "Add", targetType: "Directory"),
        "user.created": Activity(displayName: "Add user", category: "UserManagement", operation: "Add", targetType: "User"),
        "user.updated": Activity(displayName: "Update user", category: "UserManagement", operation: "Update", targetType: "User"),
        "user.deleted": Activity(displayName: "Delete user", category: "UserManagement", operation: "Delete", targetType: "User"),
        "user.password-set": Activity(displayName: "Reset user password", category: "UserManagement", operation: "Update", targetType: "User"),
        "user.enabled": Activity(displayName: "Enable account", category: "UserManagement", operation: "Update", targetType: "User"),
        "user.disabled": Activity(displayName: "Disable account", category: "UserManagement", operation: "Update", targetType: "User"),
        "user.mfa-enabled": Activity(displayName: "User registered security info", category: "UserManagement", operation: "Update", targetType: "User"),
        "user.mfa-disabled": Activity(displayName: "User deleted security info", category: "UserManagement", operation: "Update", targetType: "User"),
        "user.sessions-revoked": Activity(displayName: "Revoke user sessions", category: "UserManagement", operation: "Update", targetType: "User"),
        "group.created": Activity(displayName: "Add group", category: "GroupManagement", operation: "Add", targetType: "Group"),
        "group.updated": Activity(displayName: "Update group", category: "GroupManagement", operation: "Update", targetType: "Group"),
        "group.deleted": Activity(displayName: "Delete group", category: "GroupManagement", operation: "Delete", targetType: "Group"),
        "group.member-added": Activity(displayName: "Add member to group", category: "GroupManagement", operation: "Assign", targetType: "Group"),
        "group.member-removed": Activity(displayName: "Remove member from group", category: "GroupManagement", operation: "Unassign", targetType: "Group"),
        "application.created": Activity(displayName: "Add application", category: "ApplicationManagement", operation: "Add", targetType: "Application"),
        "application.updated": Activity(displayName: "Update application", category: "ApplicationManagement", operation: "Update", targetType: "Application"),
        "application.deleted": Activity(displayName: "Delete application", category: "ApplicationManagement", operation: "Delete", targetType: "Application"),
        "application.enabled": Activity(displayName: "Update service principal", category: "ApplicationManagement", operation: "Update", targetType: "ServicePrincipal"),
        "application.disabled": Activity(displayName: "Update service principal", category: "ApplicationManagement", operation: "Update", targetType: "ServicePrincipal"),
        "application.credential-reset": Activity(displayName: "Update application – Certificates and secrets management", category: "ApplicationManagement", operation: "Update", targetType: "Application"),
        "application.password-added": Activity(displayName: "Update application – Certificates and secrets management", category: "ApplicationManagement", operation: "Update", targetType: "Application"),
        "application.password-removed": Activity(displayName: "Update application – Certificates and secrets management", category: "ApplicationManagement", operation: "Update", targetType: "Application"),
        "application.federated-credential-created": Activity(displayName: "Update application", category: "ApplicationManagement", operation: "Update", targetType: "Application"),
        "application.permission-granted": Activity(displayName: "Add app role assignment to service principal", category: "ApplicationManagement", operation: "Assign", targetType: "ServicePrincipal"),
        "application.permission-revoked": Activity(displayName: "Remove app role assignment from service principal", category: "ApplicationManagement", operation: "Unassign", targetType: "ServicePrincipal"),
        "directory-role.assigned": Activity(displayName: "Add member to role", category: "RoleManagement", operation: "Assign", targetType: "User"),
        "directory-role.removed": Activity(displayName: "Remove member from role", category: "RoleManagement", operation: "Unassign", targetType: "User"),
    ]

    static func isDirectoryChange(_ event: AuditEvent) -> Bool {
        activities[event.kind] != nil || event.kind.hasPrefix("cluster.") || event.kind.hasPrefix("role-assignment.")
            || event.kind.hasPrefix(PrivilegedAccessAudit.kindPrefix)
    }

    /// PIM's activities, worded as Entra's PIM audit log words them for groups.
    private static func privilegedAccessActivity(_ kind: String) -> Activity? {
        guard kind.hasPrefix(PrivilegedAccessAudit.kindPrefix) else { return nil }
        if kind == "pim.policy-updated" {
            return Activity(displayName: "Update role setting in PIM", category: "GroupManagement", operation: "Update", targetType: "Group")
        }
        let parts = kind.dropFirst(PrivilegedAccessAudit.kindPrefix.count).split(separator: ".").map(String.init)
        guard parts.count == 2 else { return nil }
        let eligible = parts[0] == "eligibility"
        let noun = eligible ? "eligible member" : "member"
        let (name, operation): (String, String)
        switch parts[1] {
        case "adminAssign": (name, operation) = ("Add \(noun) to group in PIM completed", "Assign")
        case "adminRemove": (name, operation) = ("Remove \(noun) from group in PIM completed", "Unassign")
        case "adminUpdate", "adminExtend", "adminRenew": (name, operation) = ("Update \(noun) of group in PIM completed", "Update")
        case "selfActivate": (name, operation) = ("Add member to group completed (PIM activation)", "Assign")
        case "selfDeactivate": (name, operation) = ("Remove member from group completed (PIM deactivate)", "Unassign")
        case "requested": (name, operation) = ("Add member to group requested (PIM activation)", "Assign")
        case "approved": (name, operation) = ("Add member to group request approved (PIM activation)", "Assign")
        case "denied": (name, operation) = ("Add member to group request denied (PIM activation)", "Update")
        case "canceled": (name, operation) = ("Add member to group request canceled (PIM activation)", "Update")
        case "expired": (name, operation) = ("Remove \(noun) from group (PIM \(eligible ? "eligibility" : "activation") expired)", "Unassign")
        default: (name, operation) = (kind, "Update")
        }
        return Activity(displayName: name, category: "GroupManagement", operation: operation, targetType: "Group")
    }

    static func render(_ event: AuditEvent, store: any IdentityStore) async throws -> JSONValue {
        let activity = activities[event.kind] ?? privilegedAccessActivity(event.kind)
            ?? Activity(displayName: event.kind, category: "Other", operation: "Update", targetType: "Other")
        var initiatedBy: [(String, JSONValue)] = [("user", .null), ("app", .null)]
        if event.actor == AdministrationActor.commandLine.name || event.actor == nil
            || event.actor == PrivilegedAccessAudit.systemActor {
            let name = event.actor == PrivilegedAccessAudit.systemActor ? PrivilegedAccessAudit.systemActor : "kubeid command line"
            initiatedBy[1] = ("app", .object([("appId", .null), ("displayName", .string(name)),
                                              ("servicePrincipalId", .null), ("servicePrincipalName", .null)]))
        } else if let actor = event.actor, let tenantID = event.tenantID {
            if let user = try await store.user(tenantID: tenantID, objectID: actor) {
                initiatedBy[0] = ("user", .object([("id", .string(user.objectID)), ("displayName", .string(user.displayName)),
                                                   ("userPrincipalName", .string(user.userPrincipalName)),
                                                   ("ipAddress", GraphObjects.text(event.sourceAddress))]))
            } else {
                let principal = try await store.servicePrincipal(tenantID: tenantID, objectID: actor)
                initiatedBy[1] = ("app", .object([("appId", GraphObjects.text(event.clientID ?? principal?.appID)),
                                                  ("displayName", GraphObjects.text(principal?.displayName)),
                                                  ("servicePrincipalId", .string(actor)),
                                                  ("servicePrincipalName", GraphObjects.text(principal?.displayName))]))
            }
        }
        let target: JSONValue = .object([
            ("id", GraphObjects.text(event.subject)),
            ("displayName", GraphObjects.text(event.details["displayName"] ?? event.details["userPrincipalName"])),
            ("type", .string(activity.targetType)),
            ("userPrincipalName", GraphObjects.text(event.details["userPrincipalName"])),
            ("modifiedProperties", .array([])),
        ])
        return .object([
            ("id", .string(event.id)),
            ("category", .string(activity.category)),
            ("correlationId", .string(event.id)),
            ("result", .string(event.outcome == "success" ? "success" : "failure")),
            ("resultReason", .string("")),
            ("activityDisplayName", .string(activity.displayName)),
            ("activityDateTime", GraphObjects.date(event.time)),
            ("loggedByService", .string(event.kind.hasPrefix(PrivilegedAccessAudit.kindPrefix) ? "Privileged Identity Management" : "Core Directory")),
            ("operationType", .string(activity.operation)),
            ("initiatedBy", .object(initiatedBy)),
            ("targetResources", .array([target])),
            ("additionalDetails", .array(event.details.sorted { $0.key < $1.key }.map { key, value in
                .object([("key", .string(key)), ("value", .string(value))])
            })),
        ])
    }
}
