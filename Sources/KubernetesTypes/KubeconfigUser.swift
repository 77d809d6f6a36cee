/// A `users[].user` entry (client-go's `AuthInfo`).
public struct KubeconfigUser: Sendable, Equatable {
    public var clientCertificate: String
    /// Base64 text, as in the file.
    public var clientCertificateData: String
    public var clientKey: String
    public var clientKeyData: String
    public var token: String
    public var tokenFile: String
    public var impersonate: String
    public var impersonateUID: String
    public var impersonateGroups: [String]
    /// `as-user-extra`, kept in file order; written sorted.
    public var impersonateUserExtra: [(key: String, values: [String])]
    public var username: String
    public var password: String
    public var authProvider: KubeconfigAuthProvider?
    public var exec: KubeconfigExec?
    public var extensions: [NamedExtension]

    public init(clientCertificate: String = "", clientCertificateData: String = "", clientKey: String = "",
                clientKeyData: String = "", token: String = "", tokenFile: String = "", impersonate: String = "",
                impersonateUID: String = "", impersonateGroups: [String] = [],
                impersonateUserExtra: [(key: String, values: [String])] = [], username: String = "",
                password: String = "", authProvider: KubeconfigAuthProvider? = nil, exec: KubeconfigExec? = nil,
                extensions: [NamedExtension] = []) {
        self.clientCertificate = clientCertificate
        self.clientCertificateData = clientCertificateData
        self.clientKey = clientKey
        self.clientKeyData = clientKeyData
        self.token = token
        self.tokenFile = tokenFile
        self.impersonate = impersonate
        self.impersonateUID = impersonateUID
        self.impersonateGroups = impersonateGroups
        self.impersonateUserExtra = impersonateUserExtra
        self.username = username
        self.password = password
        self.authProvider = authProvider
        self.exec = exec
        self.extensions = extensions
    }

    public static func == (lhs: KubeconfigUser, rhs: KubeconfigUser) -> Bool {
        lhs.clientCertificate == rhs.clientCertificate && lhs.clientCertificateData == rhs.clientCertificateData
            && lhs.clientKey == rhs.clientKey && lhs.clientKeyData == rhs.clientKeyData && lhs.token == rhs.token
            && lhs.tokenFile == rhs.tokenFile && lhs.impersonate == rhs.impersonate
            && lhs.impersonateUID == rhs.impersonateUID && lhs.impersonateGroups == rhs.impersonateGroups
            && lhs.impersonateUserExtra.map(\.key) == rhs.impersonateUserExtra.map(\.key)
            && lhs.impersonateUserExtra.map(\.values) == rhs.impersonateUserExtra.map(\.values)
            && lhs.username == rhs.username && lhs.password == rhs.password
            && lhs.authProvider == rhs.authProvider && lhs.exec == rhs.exec && lhs.extensions == rhs.extensions
    }
}

/// `user.auth-provider`: the legacy in-tree plugins (`azure`, `oidc`, `gcp`).
public struct KubeconfigAuthProvider: Sendable, Equatable {
    public var name: String
    /// Nil is written as `config: null`, an empty map as `config: {}`; client-go keeps the difference.
    public var config: [String: String]?

    public init(name: String, config: [String: String]?) {
        self.name = name
        self.config = config
    }
}

/// `user.exec`: an exec credential plugin.
public struct KubeconfigExec: Sendable, Equatable {
    public var command: String
    /// Nil is written as `args: null`.
    public var args: [String]?
    /// Nil is written as `env: null`.
    public var env: [KubeconfigExecEnvVar]?
    public var apiVersion: String
    public var installHint: String
    public var provideClusterInfo: Bool
    /// Empty means "not set" (omitted when written).
    public var interactiveMode: String

    public init(command: String, args: [String]?, env: [KubeconfigExecEnvVar]? = nil, apiVersion: String = "",
                installHint: String = "", provideClusterInfo: Bool = false, interactiveMode: String = "") {
        self.command = command
        self.args = args
        self.env = env
        self.apiVersion = apiVersion
        self.installHint = installHint
        self.provideClusterInfo = provideClusterInfo
        self.interactiveMode = interactiveMode
    }

    /// What client-go's defaulting does when it loads a file: v1alpha1/v1beta1 plugins without
    /// `interactiveMode` get `IfAvailable` (other versions must say it themselves).
    public mutating func applyClientGoDefaults() {
        if interactiveMode.isEmpty, apiVersion == "client.authentication.k8s.io/v1beta1"
            || apiVersion == "client.authentication.k8s.io/v1alpha1" {
            interactiveMode = "IfAvailable"
        }
    }
}

public struct KubeconfigExecEnvVar: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
