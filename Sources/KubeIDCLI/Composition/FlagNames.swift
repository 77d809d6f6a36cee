import IdentityCore

/// The administration services name the property an error is about as the directory does
/// (`displayName`); on the command line the user typed a flag, so the message names that.
enum FlagNames {
    static let byField: [String: String] = [
        "displayName": "--display-name", "userPrincipalName": "--user-principal-name", "memberId": "--member-id",
        "permission": "--permission", "appRoleId": "--permission", "role": "--role", "keyId": "--key-id",
        "endDateTime": "--end-date",
    ]

    /// `error`'s message with its leading field name replaced by the flag.
    static func phrase(_ error: AdministrationError) -> String {
        guard let field = error.field, let flag = byField[field], error.message.hasPrefix(field) else { return error.message }
        return flag + error.message.dropFirst(field.count)
    }
}
