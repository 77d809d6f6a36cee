import ArgumentParser
import Foundation
import IdentityCore
import OAuthProtocol

extension KubeIDCommand {
    struct ServicePrincipal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sp", abstract: "Manage service principals (identities for pipelines).",
            subcommands: [CreateForRBAC.self, List.self, Show.self, Credential.self, FederatedCredential.self, Permission.self])
    }
}

/// Where `--create-cert` writes the generated key and certificate.
struct CertificateOutputOptions: ParsableArguments {
    @Flag(name: .customLong("create-cert"), help: "Generate a self-signed certificate instead of a secret.")
    var createCertificate = false
    @Option(name: .customLong("cert"), help: "Register an existing certificate: @FILE.pem (or the PEM text).")
    var certificate: String?
    @Option(name: .customLong("cert-output-dir"), help: "Where --create-cert writes the PEM file (default: home directory, as az).")
    var certificateOutputDirectory: String?

    func credentialRequest() throws -> CredentialRequest {
        if createCertificate && certificate != nil {
            throw CLIError("--create-cert and --cert cannot be used together")
        }
        if createCertificate {
            return .newCertificate(directory: certificateOutputDirectory ?? FileManager.default.homeDirectoryForCurrentUser.path)
        }
        if let certificate {
            if certificate.hasPrefix("@") {
                let path = String(certificate.dropFirst())
                guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
                return .certificate(pem: String(decoding: data, as: UTF8.self))
            }
            return .certificate(pem: certificate)
        }
        return .secret
    }
}

extension KubeIDCommand.ServicePrincipal {
    struct CreateForRBAC: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-for-rbac",
            abstract: "Create an application, its service principal and a credential (like az ad sp create-for-rbac).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var certificate: CertificateOutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "Display name.") var name: String

        func run() async throws {
            let registration = try await store.administration().createServicePrincipalForRBAC(
                tenant: tenant, name: name, credential: try certificate.credentialRequest())
            OutputPrinter.print(DirectoryJSON.registration(registration), output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List service principals.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String

        func run() async throws {
            let principals = try await store.administration().listServicePrincipals(tenant: tenant)
            OutputPrinter.print(.array(principals.map { DirectoryJSON.servicePrincipal($0) }), output: output)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a service principal with its credentials' metadata.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "appId or object id.") var id: String

        func run() async throws {
            let administration = try await store.administration()
            let (application, principal) = try await administration.servicePrincipal(tenant: tenant, id: id)
            let credentials = try await administration.credentials(tenant: tenant, appID: application.appID)
            guard case .object(var members) = DirectoryJSON.servicePrincipal(principal, application: application) else { return }
            members.append(("passwordCredentials", .array(credentials.secrets.map { secret in
                .object([("keyId", .string(secret.id)), ("hint", .string(secret.hint)),
                         ("startDateTime", DirectoryJSON.date(secret.createdAt)),
                         ("endDateTime", DirectoryJSON.date(secret.expiresAt))])
            })))
            members.append(("keyCredentials", .array(credentials.certificates.map { certificate in
                .object([("keyId", .string(certificate.id)), ("customKeyIdentifier", .string(certificate.sha1Thumbprint)),
                         ("startDateTime", DirectoryJSON.date(certificate.notBefore)),
                         ("endDateTime", DirectoryJSON.date(certificate.notAfter))])
            })))
            OutputPrinter.print(.object(members), output: output)
        }
    }

    struct Credential: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Manage secrets and certificates.",
                                                        subcommands: [Reset.self])
    }

    struct FederatedCredential: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "federated-credential",
            abstract: "Trust tokens from an external issuer (workload identity).",
            subcommands: [Create.self, List.self])
    }
}

extension KubeIDCommand.ServicePrincipal.Credential {
    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace every secret and certificate with one new credential (like az ad sp credential reset).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var certificate: CertificateOutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "appId or object id.") var id: String

        func run() async throws {
            let registration = try await store.administration().resetCredential(
                tenant: tenant, appID: id, credential: try certificate.credentialRequest())
            OutputPrinter.print(DirectoryJSON.registration(registration), output: output)
        }
    }
}

extension KubeIDCommand.ServicePrincipal.FederatedCredential {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a federated identity credential.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "appId or object id.") var id: String
        @Option(help: "Name (generated when omitted).") var name: String?
        @Option(help: "The external issuer, exactly as its tokens' iss.") var issuer: String
        @Option(help: "The subject, exactly as its tokens' sub (e.g. system:serviceaccount:NS:SA).") var subject: String
        @Option(help: "Accepted audience (repeatable; default api://AzureADTokenExchange).") var audience: [String] = []

        func run() async throws {
            let credential = try await store.administration().createFederatedCredential(
                tenant: tenant, appID: id, name: name, issuer: issuer, subject: subject,
                audiences: audience.isEmpty ? [WellKnownApplications.tokenExchangeAudience] : audience)
            OutputPrinter.print(DirectoryJSON.federatedCredential(credential), output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List federated identity credentials.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "appId or object id.") var id: String

        func run() async throws {
            let credentials = try await store.administration().listFederatedCredentials(tenant: tenant, appID: id)
            OutputPrinter.print(.array(credentials.map(DirectoryJSON.federatedCredential)), output: output)
        }
    }
}
