import ArgumentParser
import Foundation
import IdentityCore
import OAuthProtocol

extension KubeIDCommand {
    struct User: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user", abstract: "Manage users: people who sign in with the device-code or browser flows.",
            discussion: """
            Passwords are read from standard input (--password-stdin), never from the command line, and stored \
            only as scrypt hashes. Add users to groups with `kubeid group member add --member-id <user id>`.
            """,
            subcommands: [Create.self, List.self, Show.self, SetPassword.self, Disable.self, Enable.self, RevokeSessions.self, Delete.self,
                          MFA.self])
    }
}

/// `--tenant` and `--id` for commands on one user.
struct UserSelection: ParsableArguments {
    @Option(help: "Tenant id or name.") var tenant: String
    @Option(help: "The user's object id or user principal name.") var id: String
}

/// Reads the password: one line from standard input, without its line break.
enum PasswordInput {
    static func readFromStandardInput() throws -> String {
        guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
            throw CLIError("--password-stdin: no password on standard input (pipe it in, e.g. `printf '%s\\n' \"$PW\" | kubeid user ...`)")
        }
        return line.hasSuffix("\r") ? String(line.dropLast()) : line
    }
}

extension KubeIDCommand.User {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user with a password.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(name: .customLong("user-principal-name"), help: "Sign-in name, e.g. alice@contoso.test.")
        var userPrincipalName: String
        @Option(name: .customLong("display-name"), help: "Display name (the `name` claim).") var displayName: String
        @Option(name: .customLong("given-name"), help: "Given name (`given_name`).") var givenName: String?
        @Option(name: .customLong("surname"), help: "Surname (`family_name`).") var surname: String?
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (required).")
        var passwordStdin = false

        func validate() throws {
            guard passwordStdin else { throw ValidationError("--password-stdin is required: pipe the password in") }
        }

        func run() async throws {
            let password = try PasswordInput.readFromStandardInput()
            let user = try await store.administration().createUser(
                tenant: tenant, userPrincipalName: userPrincipalName, displayName: displayName, givenName: givenName,
                familyName: surname, password: password)
            OutputPrinter.print(DirectoryJSON.user(user), output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String

        func run() async throws {
            let users = try await store.administration().listUsers(tenant: tenant)
            OutputPrinter.print(.array(users.map(DirectoryJSON.user)), output: output)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a user.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var selection: UserSelection

        func run() async throws {
            let user = try await store.administration().user(tenant: selection.tenant, id: selection.id)
            OutputPrinter.print(DirectoryJSON.user(user), output: output)
        }
    }

    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password", abstract: "Set a new password; signs the user out of every device.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var selection: UserSelection
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (required).")
        var passwordStdin = false

        func validate() throws {
            guard passwordStdin else { throw ValidationError("--password-stdin is required: pipe the password in") }
        }

        func run() async throws {
            let password = try PasswordInput.readFromStandardInput()
            let user = try await store.administration().setPassword(tenant: selection.tenant, id: selection.id, password: password)
            OutputPrinter.print(DirectoryJSON.user(user), output: output)
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Block sign-in and refresh for a user.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var selection: UserSelection

        func run() async throws {
            let user = try await store.administration().setUserEnabled(tenant: selection.tenant, id: selection.id, enabled: false)
            OutputPrinter.print(DirectoryJSON.user(user), output: output)
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Allow a disabled user to sign in again.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var selection: UserSelection

        func run() async throws {
            let user = try await store.administration().setUserEnabled(tenant: selection.tenant, id: selection.id, enabled: true)
            OutputPrinter.print(DirectoryJSON.user(user), output: output)
        }
    }

    struct RevokeSessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-sessions",
            abstract: "Sign a user out everywhere: browser sessions, approved device codes and refresh tokens stop working.",
            discussion: "Access tokens already issued stay valid until they expire (at most their lifetime, about an hour).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var selection: UserSelection

        func run() async throws {
            let user = try await store.administration().revokeSignInSessions(tenant: selection.tenant, id: selection.id)
            OutputPrinter.print(DirectoryJSON.user(user), output: output)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user, its group memberships and refresh tokens.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var selection: UserSelection

        func run() async throws {
            try await store.administration().deleteUser(tenant: selection.tenant, id: selection.id)
        }
    }

    struct MFA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mfa", abstract: "Manage the TOTP second factor (RFC 6238, any authenticator app).",
            subcommands: [Enable.self, Disable.self])
    }
}

extension KubeIDCommand.User.MFA {
    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enrol (or re-enrol) TOTP and print the otpauth:// URI to scan; shown only once.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var selection: UserSelection

        func run() async throws {
            let provisioning = try await store.administration().enableMFA(tenant: selection.tenant, id: selection.id)
            OutputPrinter.print(.object([("id", .string(provisioning.user.objectID)),
                                         ("userPrincipalName", .string(provisioning.user.userPrincipalName)),
                                         ("otpauthUri", .string(provisioning.uri))]), output: output)
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the TOTP second factor.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var selection: UserSelection

        func run() async throws {
            let user = try await store.administration().disableMFA(tenant: selection.tenant, id: selection.id)
            OutputPrinter.print(DirectoryJSON.user(user), output: output)
        }
    }
}
