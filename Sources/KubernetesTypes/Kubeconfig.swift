/// A kubeconfig file in client-go's `clientcmd/api/v1` shape.
///
/// Named entries are kept sorted by name and unique, because that is how client-go holds them
/// (maps keyed by name) and how it writes them back. Fields kubeid does not model are dropped on
/// write, exactly as client-go drops them; `extensions` are kept as raw values.
public struct Kubeconfig: Sendable, Equatable {
    public var clusters: [NamedCluster]
    public var contexts: [NamedContext]
    public var users: [NamedUser]
    /// Written as `current-context: ""` when empty, as client-go does.
    public var currentContext: String
    public var preferences: KubeconfigPreferences
    public var extensions: [NamedExtension]

    public init(clusters: [NamedCluster] = [], contexts: [NamedContext] = [], users: [NamedUser] = [],
                currentContext: String = "", preferences: KubeconfigPreferences = KubeconfigPreferences(),
                extensions: [NamedExtension] = []) {
        self.clusters = clusters.sorted { $0.name < $1.name }
        self.contexts = contexts.sorted { $0.name < $1.name }
        self.users = users.sorted { $0.name < $1.name }
        self.currentContext = currentContext
        self.preferences = preferences
        self.extensions = extensions.sorted { $0.name < $1.name }
    }

    public func user(named name: String) -> KubeconfigUser? { users.first { $0.name == name }?.user }
    public func context(named name: String) -> KubeconfigContext? { contexts.first { $0.name == name }?.context }

    /// Replaces (or adds) the user `name`, keeping the list sorted by name.
    public mutating func setUser(_ user: KubeconfigUser, named name: String) {
        if let index = users.firstIndex(where: { $0.name == name }) {
            users[index].user = user
        } else {
            users.append(NamedUser(name: name, user: user))
            users.sort { $0.name < $1.name }
        }
    }
}

public struct NamedCluster: Sendable, Equatable {
    public var name: String
    public var cluster: KubeconfigCluster
    public init(name: String, cluster: KubeconfigCluster) {
        self.name = name
        self.cluster = cluster
    }
}

public struct NamedContext: Sendable, Equatable {
    public var name: String
    public var context: KubeconfigContext
    public init(name: String, context: KubeconfigContext) {
        self.name = name
        self.context = context
    }
}

public struct NamedUser: Sendable, Equatable {
    public var name: String
    public var user: KubeconfigUser
    public init(name: String, user: KubeconfigUser) {
        self.name = name
        self.user = user
    }
}

/// `extensions: [{name, extension}]`; the extension object is kept as it was read.
public struct NamedExtension: Sendable, Equatable {
    public var name: String
    public var value: KubeconfigValue
    public init(name: String, value: KubeconfigValue) {
        self.name = name
        self.value = value
    }
}

/// `preferences`, written as `{}` when empty.
public struct KubeconfigPreferences: Sendable, Equatable {
    public var colors: Bool
    public var extensions: [NamedExtension]
    public init(colors: Bool = false, extensions: [NamedExtension] = []) {
        self.colors = colors
        self.extensions = extensions
    }
}

/// A `clusters[].cluster` entry.
public struct KubeconfigCluster: Sendable, Equatable {
    public var server: String
    public var tlsServerName: String
    public var insecureSkipTLSVerify: Bool
    public var certificateAuthority: String
    /// Base64 text of `certificate-authority-data` (standard alphabet, padded, as client-go writes it).
    public var certificateAuthorityData: String
    public var proxyURL: String
    public var disableCompression: Bool
    public var extensions: [NamedExtension]

    public init(server: String = "", tlsServerName: String = "", insecureSkipTLSVerify: Bool = false,
                certificateAuthority: String = "", certificateAuthorityData: String = "", proxyURL: String = "",
                disableCompression: Bool = false, extensions: [NamedExtension] = []) {
        self.server = server
        self.tlsServerName = tlsServerName
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.certificateAuthority = certificateAuthority
        self.certificateAuthorityData = certificateAuthorityData
        self.proxyURL = proxyURL
        self.disableCompression = disableCompression
        self.extensions = extensions
    }
}

/// A `contexts[].context` entry.
public struct KubeconfigContext: Sendable, Equatable {
    public var cluster: String
    public var user: String
    public var namespace: String
    public var extensions: [NamedExtension]

    public init(cluster: String = "", user: String = "", namespace: String = "", extensions: [NamedExtension] = []) {
        self.cluster = cluster
        self.user = user
        self.namespace = namespace
        self.extensions = extensions
    }
}
