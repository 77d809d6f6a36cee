import ArgumentParser
import IdentityCore
import OAuthProtocol

extension KubeIDCommand {
    struct App: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "app", abstract: "Manage application registrations (resources and clients).",
            subcommands: [Create.self, List.self, Update.self])
    }
}

extension KubeIDCommand.App {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an application and its service principal.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(name: .customLong("display-name"), help: "Display name.") var displayName: String
        @Option(name: .customLong("app-id"), help: "Client id (GUID); generated when omitted.") var appID: String?
        @Option(name: .customLong("identifier-uri"), help: "Identifier URI, e.g. api://kubernetes (repeatable).")
        var identifierURIs: [String] = []
        @Option(name: .customLong("access-token-version"), help: "Access-token version this resource receives: 1 or 2.")
        var accessTokenVersion: Int = 2
        @Flag(name: .customLong("public-client"), help: "A public client (device code, interactive); holds no credential.")
        var publicClient = false
        @Option(name: .customLong("redirect-uri"), help: "Redirect URI for the authorization-code flow (repeatable).")
        var redirectURIs: [String] = []
        @Option(name: .customLong("scope"), help: "Delegated scope this resource exposes (repeatable).")
        var scopes: [String] = []

        func run() async throws {
            let (application, _) = try await store.administration().createApplication(
                tenant: tenant, displayName: displayName, appID: appID, identifierURIs: identifierURIs,
                accessTokenVersion: accessTokenVersion, isPublicClient: publicClient, redirectURIs: redirectURIs,
                exposedScopes: scopes)
            OutputPrinter.print(DirectoryJSON.application(application), output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List application registrations.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String

        func run() async throws {
            let applications = try await store.administration().listApplications(tenant: tenant)
            OutputPrinter.print(.array(applications.map(DirectoryJSON.application)), output: output)
        }
    }
}

extension KubeIDCommand.App {
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an application registration.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "The application's app id (client id) or its service principal's object id.") var id: String
        @Flag(name: .customLong("enable-ropc"), help: "Allow the resource-owner password grant (off by default).")
        var enableROPC = false
        @Flag(name: .customLong("disable-ropc"), help: "Forbid the resource-owner password grant.")
        var disableROPC = false
        @Flag(name: .customLong("allow-code-without-pkce"),
              help: "Let this confidential client use the authorization-code flow without PKCE (a web app that cannot send it).")
        var allowCodeWithoutPKCE = false
        @Flag(name: .customLong("require-pkce"), help: "Require PKCE of this client again (the default).")
        var requirePKCE = false
        @Option(name: .customLong("add-redirect-uri"), help: "Register a redirect URI (repeatable).")
        var addRedirectURIs: [String] = []
        @Option(name: .customLong("remove-redirect-uri"), help: "Unregister a redirect URI (repeatable).")
        var removeRedirectURIs: [String] = []

        func validate() throws {
            if enableROPC && disableROPC { throw ValidationError("--enable-ropc and --disable-ropc exclude each other") }
            if allowCodeWithoutPKCE && requirePKCE {
                throw ValidationError("--allow-code-without-pkce and --require-pkce exclude each other")
            }
        }

        func run() async throws {
            let changes = ApplicationChanges(isPasswordGrantEnabled: enableROPC ? true : (disableROPC ? false : nil),
                                             addRedirectURIs: addRedirectURIs, removeRedirectURIs: removeRedirectURIs,
                                             allowsCodeWithoutPKCE: allowCodeWithoutPKCE ? true : (requirePKCE ? false : nil))
            let application = try await store.administration().updateApplication(tenant: tenant, id: id, changes: changes)
            OutputPrinter.print(DirectoryJSON.application(application), output: output)
        }
    }
}
