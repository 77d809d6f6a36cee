import Yams

/// Writes a kubeconfig byte for byte as client-go's `clientcmd.Write` does: the v1 JSON encoding
/// (`omitempty` fields left out, `null` for nil lists and maps) turned into YAML by go-yaml v2 —
/// keys in its natural order at every level, 2-space indentation, block sequences not indented
/// under their key, lines folded at 80 columns, non-ASCII kept as is.
public enum KubeconfigYAMLWriter {
    public static func yaml(for config: Kubeconfig) -> String {
        emit(value(for: config))
    }

    /// YAML for any JSON-shaped value, with go-yaml v2's choices.
    public static func emit(_ value: KubeconfigValue) -> String {
        do {
            return try Yams.serialize(node: node(for: value), width: 80, allowUnicode: true)
        } catch {
            // Only reachable for invalid UTF-8, which Swift strings cannot hold.
            preconditionFailure("libyaml refused to emit a kubeconfig: \(error)")
        }
    }

    static func node(for value: KubeconfigValue) -> Node {
        switch value {
        case .null: return Node("null", .implicit, .plain)
        case .bool(let flag): return Node(flag ? "true" : "false", .implicit, .plain)
        case .number(let text): return Node(text, .implicit, .plain)
        case .string(let text): return Node(text, .implicit, GoYAMLScalarStyle.style(for: text))
        case .sequence(let elements): return Node(elements.map(node(for:)), .implicit, .block)
        case .mapping(let members):
            let sorted = members.sorted { GoYAMLKeyOrder.areInIncreasingOrder($0.name, $1.name) }
            return Node(sorted.map { (Node($0.name, .implicit, GoYAMLScalarStyle.style(for: $0.name)), node(for: $0.value)) },
                        .implicit, .block)
        }
    }

    // MARK: - The v1 JSON encoding

    static func value(for config: Kubeconfig) -> KubeconfigValue {
        var preferences = Members()
        preferences.add("colors", config.preferences.colors, omitEmpty: true)
        preferences.add("extensions", extensions(config.preferences.extensions))
        var top = Members()
        top.add("kind", .string("Config"))
        top.add("apiVersion", .string("v1"))
        top.add("preferences", .mapping(preferences.list))
        top.add("clusters", list(config.clusters.map { named($0.name, "cluster", cluster($0.cluster)) }))
        top.add("users", list(config.users.map { named($0.name, "user", user($0.user)) }))
        top.add("contexts", list(config.contexts.map { named($0.name, "context", context($0.context)) }))
        top.add("current-context", .string(config.currentContext))
        top.add("extensions", extensions(config.extensions))
        return .mapping(top.list)
    }

    /// A Go slice without `omitempty`: nil is `null`.
    private static func list(_ elements: [KubeconfigValue]) -> KubeconfigValue {
        elements.isEmpty ? .null : .sequence(elements)
    }

    private static func named(_ name: String, _ key: String, _ body: KubeconfigValue) -> KubeconfigValue {
        .mapping([KubeconfigMember("name", .string(name)), KubeconfigMember(key, body)])
    }

    /// `extensions,omitempty`: nil when there are none.
    private static func extensions(_ entries: [NamedExtension]) -> KubeconfigValue? {
        guard !entries.isEmpty else { return nil }
        return .sequence(entries.map { .mapping([KubeconfigMember("name", .string($0.name)), KubeconfigMember("extension", $0.value)]) })
    }

    private static func cluster(_ cluster: KubeconfigCluster) -> KubeconfigValue {
        var members = Members()
        members.add("server", .string(cluster.server))
        members.add("tls-server-name", cluster.tlsServerName)
        members.add("insecure-skip-tls-verify", cluster.insecureSkipTLSVerify, omitEmpty: true)
        members.add("certificate-authority", cluster.certificateAuthority)
        members.add("certificate-authority-data", cluster.certificateAuthorityData)
        members.add("proxy-url", cluster.proxyURL)
        members.add("disable-compression", cluster.disableCompression, omitEmpty: true)
        members.add("extensions", extensions(cluster.extensions))
        return .mapping(members.list)
    }

    private static func context(_ context: KubeconfigContext) -> KubeconfigValue {
        var members = Members()
        members.add("cluster", .string(context.cluster))
        members.add("user", .string(context.user))
        members.add("namespace", context.namespace)
        members.add("extensions", extensions(context.extensions))
        return .mapping(members.list)
    }

    private static func user(_ user: KubeconfigUser) -> KubeconfigValue {
        var members = Members()
        members.add("client-certificate", user.clientCertificate)
        members.add("client-certificate-data", user.clientCertificateData)
        members.add("client-key", user.clientKey)
        members.add("client-key-data", user.clientKeyData)
        members.add("token", user.token)
        members.add("tokenFile", user.tokenFile)
        members.add("as", user.impersonate)
        members.add("as-uid", user.impersonateUID)
        if !user.impersonateGroups.isEmpty {
            members.add("as-groups", .sequence(user.impersonateGroups.map { .string($0) }))
        }
        if !user.impersonateUserExtra.isEmpty {
            members.add("as-user-extra", .mapping(user.impersonateUserExtra.map {
                KubeconfigMember($0.key, $0.values.isEmpty ? .null : .sequence($0.values.map { .string($0) }))
            }))
        }
        members.add("username", user.username)
        members.add("password", user.password)
        if let provider = user.authProvider {
            let config: KubeconfigValue = provider.config.map { map in
                .mapping(map.map { KubeconfigMember($0.key, .string($0.value)) })
            } ?? .null
            members.add("auth-provider", .mapping([KubeconfigMember("name", .string(provider.name)),
                                                   KubeconfigMember("config", config)]))
        }
        if let exec = user.exec { members.add("exec", self.exec(exec)) }
        members.add("extensions", extensions(user.extensions))
        return .mapping(members.list)
    }

    private static func exec(_ exec: KubeconfigExec) -> KubeconfigValue {
        var members = Members()
        members.add("command", .string(exec.command))
        members.add("args", exec.args.map { .sequence($0.map { .string($0) }) } ?? .null)
        members.add("env", exec.env.map { entries in
            .sequence(entries.map { .mapping([KubeconfigMember("name", .string($0.name)), KubeconfigMember("value", .string($0.value))]) })
        } ?? .null)
        members.add("apiVersion", exec.apiVersion)
        members.add("installHint", exec.installHint)
        members.add("provideClusterInfo", .bool(exec.provideClusterInfo))
        members.add("interactiveMode", exec.interactiveMode)
        return .mapping(members.list)
    }
}

/// Builds a mapping the way `encoding/json` does, with `omitempty` for strings and bools.
private struct Members {
    var list: [KubeconfigMember] = []

    mutating func add(_ name: String, _ value: KubeconfigValue?) {
        if let value { list.append(KubeconfigMember(name, value)) }
    }

    /// A `string` field tagged `omitempty`.
    mutating func add(_ name: String, _ text: String) {
        if !text.isEmpty { list.append(KubeconfigMember(name, .string(text))) }
    }

    mutating func add(_ name: String, _ flag: Bool, omitEmpty: Bool) {
        if flag || !omitEmpty { list.append(KubeconfigMember(name, .bool(flag))) }
    }
}
