import Foundation
import Yams

/// Reads one kubeconfig file the way client-go's loader does: YAML (or JSON) in the v1 `Config`
/// shape, named lists turned into unique sorted entries, `data` fields normalised to canonical
/// base64, and client-go's defaulting applied (exec `interactiveMode`). An empty file is an empty
/// config, as in client-go.
public enum KubeconfigYAMLReader {
    public static func read(_ text: String) throws -> Kubeconfig {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw KubeconfigError("yaml: \(error)")
        }
        guard let node else { return Kubeconfig() }
        let root = value(of: node)
        if case .null = root { return Kubeconfig() }
        guard let members = root.members else { throw KubeconfigError("kubeconfig is not a YAML mapping") }
        let object = Object(members: members, path: "Config")
        let preferences = try object.object("preferences")
        return Kubeconfig(
            clusters: try object.namedList("clusters", entryKey: "cluster") { NamedCluster(name: $0, cluster: try cluster($1)) },
            contexts: try object.namedList("contexts", entryKey: "context") { NamedContext(name: $0, context: try context($1)) },
            users: try object.namedList("users", entryKey: "user") { NamedUser(name: $0, user: try user($1)) },
            currentContext: try object.string("current-context"),
            preferences: KubeconfigPreferences(colors: try preferences?.bool("colors") ?? false,
                                               extensions: try preferences?.extensions() ?? []),
            extensions: try object.extensions())
    }

    private static func cluster(_ object: Object) throws -> KubeconfigCluster {
        KubeconfigCluster(server: try object.string("server"), tlsServerName: try object.string("tls-server-name"),
                          insecureSkipTLSVerify: try object.bool("insecure-skip-tls-verify"),
                          certificateAuthority: try object.string("certificate-authority"),
                          certificateAuthorityData: try object.base64("certificate-authority-data"),
                          proxyURL: try object.string("proxy-url"),
                          disableCompression: try object.bool("disable-compression"), extensions: try object.extensions())
    }

    private static func context(_ object: Object) throws -> KubeconfigContext {
        KubeconfigContext(cluster: try object.string("cluster"), user: try object.string("user"),
                          namespace: try object.string("namespace"), extensions: try object.extensions())
    }

    private static func user(_ object: Object) throws -> KubeconfigUser {
        var extra: [(key: String, values: [String])] = []
        if let extraObject = try object.object("as-user-extra") {
            for member in extraObject.members {
                extra.append((member.name, try extraObject.stringList(member.name) ?? []))
            }
        }
        var authProvider: KubeconfigAuthProvider? = nil
        if let provider = try object.object("auth-provider") {
            var config: [String: String]? = nil
            if let configObject = try provider.object("config") {
                config = [:]
                for member in configObject.members { config?[member.name] = try configObject.string(member.name) }
            }
            authProvider = KubeconfigAuthProvider(name: try provider.string("name"), config: config)
        }
        var exec: KubeconfigExec? = nil
        if let execObject = try object.object("exec") {
            var env: [KubeconfigExecEnvVar]? = nil
            if let entries = try execObject.list("env") {
                env = try entries.map { try Object(value: $0, path: "env").envVar() }
            }
            var block = KubeconfigExec(command: try execObject.string("command"), args: try execObject.stringList("args"),
                                       env: env, apiVersion: try execObject.string("apiVersion"),
                                       installHint: try execObject.string("installHint"),
                                       provideClusterInfo: try execObject.bool("provideClusterInfo"),
                                       interactiveMode: try execObject.string("interactiveMode"))
            block.applyClientGoDefaults()
            exec = block
        }
        return KubeconfigUser(clientCertificate: try object.string("client-certificate"),
                              clientCertificateData: try object.base64("client-certificate-data"),
                              clientKey: try object.string("client-key"), clientKeyData: try object.base64("client-key-data"),
                              token: try object.string("token"), tokenFile: try object.string("tokenFile"),
                              impersonate: try object.string("as"), impersonateUID: try object.string("as-uid"),
                              impersonateGroups: try object.stringList("as-groups") ?? [], impersonateUserExtra: extra,
                              username: try object.string("username"), password: try object.string("password"),
                              authProvider: authProvider, exec: exec, extensions: try object.extensions())
    }

    /// The YAML tree as JSON-like values (client-go converts YAML to JSON before decoding).
    static func value(of node: Node) -> KubeconfigValue {
        switch node {
        case .scalar(let scalar):
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
                || scalar.style == .literal || scalar.style == .folded
            if quoted { return .string(scalar.string) }
            // go-yaml v2 reads YAML 1.1: `~`/`null` are null, `yes`/`on`/`y` are booleans too.
            switch scalar.string {
            case "", "~", "null", "Null", "NULL": return .null
            case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return .bool(true)
            case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return .bool(false)
            default: return GoYAMLScalarStyle.resolvesToNonString(scalar.string) ? .number(scalar.string) : .string(scalar.string)
            }
        case .mapping(let mapping):
            return .mapping(mapping.map { KubeconfigMember($0.key.string ?? "", value(of: $0.value)) })
        case .sequence(let sequence):
            return .sequence(sequence.map { value(of: $0) })
        case .alias:
            return .null
        }
    }
}

/// A mapping being decoded into one of the v1 structs, with errors that name the field.
private struct Object {
    let members: [KubeconfigMember]
    let path: String

    init(members: [KubeconfigMember], path: String) {
        self.members = members
        self.path = path
    }

    init(value: KubeconfigValue, path: String) throws {
        guard let members = value.members else { throw KubeconfigError("\(path): expected a mapping") }
        self.init(members: members, path: path)
    }

    func raw(_ name: String) -> KubeconfigValue? {
        guard let value = members.first(where: { $0.name == name })?.value else { return nil }
        if case .null = value { return nil }
        return value
    }

    func string(_ name: String) throws -> String {
        switch raw(name) {
        case nil: return ""
        case .string(let text), .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        default: throw KubeconfigError("\(path).\(name): expected a string")
        }
    }

    func bool(_ name: String) throws -> Bool {
        switch raw(name) {
        case nil: return false
        case .bool(let flag): return flag
        default: throw KubeconfigError("\(path).\(name): expected a boolean")
        }
    }

    /// A `[]byte` field: base64 in the file, re-encoded canonically as client-go would write it.
    func base64(_ name: String) throws -> String {
        let text = try string(name)
        guard !text.isEmpty else { return "" }
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
            throw KubeconfigError("\(path).\(name): illegal base64 data")
        }
        return data.base64EncodedString()
    }

    func object(_ name: String) throws -> Object? {
        guard let value = raw(name) else { return nil }
        return try Object(value: value, path: "\(path).\(name)")
    }

    func list(_ name: String) throws -> [KubeconfigValue]? {
        guard let value = raw(name) else { return nil }
        guard case .sequence(let elements) = value else { throw KubeconfigError("\(path).\(name): expected a list") }
        return elements
    }

    func stringList(_ name: String) throws -> [String]? {
        try list(name)?.map {
            switch $0 {
            case .string(let text), .number(let text): return text
            case .null: return ""
            default: throw KubeconfigError("\(path).\(name): expected a list of strings")
            }
        }
    }

    /// `[{name: N, <entryKey>: {...}}]` → unique entries; client-go refuses duplicate names.
    func namedList<T>(_ name: String, entryKey: String, _ build: (String, Object) throws -> T) throws -> [T] {
        var seen: Set<String> = []
        var result: [T] = []
        for element in try list(name) ?? [] {
            let entry = try Object(value: element, path: "\(path).\(name)")
            let entryName = try entry.string("name")
            guard seen.insert(entryName).inserted else {
                throw KubeconfigError("duplicate name \"\(entryName)\" in list \(name)")
            }
            let body = try entry.object(entryKey) ?? Object(members: [], path: "\(path).\(name).\(entryKey)")
            result.append(try build(entryName, body))
        }
        return result
    }

    func extensions() throws -> [NamedExtension] {
        try (list("extensions") ?? []).map {
            let entry = try Object(value: $0, path: "\(path).extensions")
            return NamedExtension(name: try entry.string("name"), value: entry.raw("extension") ?? .null)
        }
    }

    func envVar() throws -> KubeconfigExecEnvVar {
        KubeconfigExecEnvVar(name: try string("name"), value: try string("value"))
    }
}
