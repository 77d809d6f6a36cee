import IdentityCore

/// The administration services name the properties an error is about as the directory does
/// (`displayName`, `enableAAD`); on the command line the user typed a flag, so the message names
/// that.
enum FlagNames {
    /// Properties whose flag is not their name in kebab case.
    static let exceptions: [String: String] = [
        "appRoleId": "--permission", "endDateTime": "--end-date", "certificate": "--cert",
        "noAADAdminGroups": "--no-aad-admin-groups",
    ]

    /// `error`'s message with every property it names spelled as its flag.
    static func phrase(_ error: AdministrationError) -> String {
        error.text.rendered(naming: flag(for:))
    }

    /// `enableAAD` → `--enable-aad`, `aadAdminGroupObjectIDs` → `--aad-admin-group-object-ids`.
    static func flag(for field: String) -> String {
        if let flag = exceptions[field] { return flag }
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in field {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                words.append(current)
                current = ""
            }
            current.append(character)
            previous = character
        }
        words.append(current)
        return "--" + words.map { $0.lowercased() }.joined(separator: "-")
    }
}
