@testable import KubernetesTypes
import PropertyBased
import Testing

/// Any kubeconfig kubeid writes, it reads back as the same config: the writer's quoting and the
/// reader's YAML 1.1 rules (go-yaml v2's, where `yes`, `~` and `0x1F` are not strings) agree for
/// every string, including the ones that look like something else.
@Suite("Kubeconfig YAML round trips (property-based)")
struct KubeconfigRoundTripPropertyTests {
    /// Strings YAML reads as something else unless quoted, strings that need escapes, and plain ones.
    static let palette = [
        "", "dev", "aks-dev", "clusterUser_rg_dev", "https://dev-abc.hcp.eastus.azmk8s.io:443", "yes", "No", "on", "OFF",
        "y", "n", "~", "null", "NULL", "true", "False", "1", "-1", "0x1F", "0o17", "017", "1e3", "1.0", ".inf", "-.Inf",
        ".nan", "2026-12-05", "12:30", "- dash", ": colon", "key: value", "#hash", "a #b", "'single'", "\"double\"",
        "back\\slash", "multi\nline", "trailing\n", "tab\there", " leading", "trailing ", "@at", "`tick", "*star", "&anchor",
        "!tag", "%percent", "{brace}", "[bracket]", "?q", "|pipe", ">fold", "ünïcødé", "emoji 🚀", "zero\u{0}byte", "\u{7F}del",
        "kubelogin", "get-token", "--login", "devicecode", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630",
    ]
    static let base64Palette = ["", "AAAA", "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==", "eA=="]
    static let execVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1", ""]
    static let interactiveModes = ["", "Never", "IfAvailable", "Always"]

    /// Builds a config from a list of picks, consuming them in order (so a shorter list, as the
    /// library shrinks it, gives a smaller config).
    struct Picks {
        var values: [Int]
        var next = 0
        init(_ values: [Int]) { self.values = values }
        mutating func int(_ bound: Int) -> Int {
            defer { next += 1 }
            return values.isEmpty ? 0 : values[next % values.count] % bound
        }
        mutating func bool() -> Bool { int(2) == 1 }
        mutating func string() -> String { KubeconfigRoundTripPropertyTests.palette[int(KubeconfigRoundTripPropertyTests.palette.count)] }
        mutating func strings() -> [String] { (0..<int(3)).map { _ in string() } }
        mutating func names() -> [String] { Array(Set((0..<int(4)).map { _ in string() }.filter { !$0.isEmpty })) }
        mutating func element(_ choices: [String]) -> String { choices[int(choices.count)] }
    }

    static func config(from values: [Int]) -> Kubeconfig {
        var picks = Picks(values)
        let clusters = picks.names().map { name in
            NamedCluster(name: name, cluster: KubeconfigCluster(
                server: picks.string(), tlsServerName: picks.string(), insecureSkipTLSVerify: picks.bool(),
                certificateAuthority: picks.string(), certificateAuthorityData: picks.element(base64Palette),
                proxyURL: picks.string(), disableCompression: picks.bool()))
        }
        let contexts = picks.names().map { name in
            NamedContext(name: name, context: KubeconfigContext(cluster: picks.string(), user: picks.string(), namespace: picks.string()))
        }
        let users = picks.names().map { name in
            var user = KubeconfigUser(
                clientCertificateData: picks.element(base64Palette), token: picks.string(), tokenFile: picks.string(),
                impersonate: picks.string(), impersonateGroups: picks.strings(),
                // Written in go-yaml's key order (digits by value), so read back in it.
                impersonateUserExtra: picks.names().sorted(by: GoYAMLKeyOrder.areInIncreasingOrder).map { ($0, picks.strings()) },
                username: picks.string(), password: picks.string())
            switch picks.int(3) {
            case 0:
                user.exec = KubeconfigExec(
                    command: picks.element(["kubelogin", picks.string()]), args: picks.bool() ? picks.strings() : nil,
                    env: picks.bool() ? (0..<picks.int(3)).map { _ in KubeconfigExecEnvVar(name: picks.string(), value: picks.string()) } : nil,
                    apiVersion: picks.element(execVersions), installHint: picks.string(),
                    provideClusterInfo: picks.bool(), interactiveMode: picks.element(interactiveModes))
            case 1:
                user.authProvider = KubeconfigAuthProvider(
                    name: picks.element(["azure", "oidc", picks.string()]),
                    config: picks.bool() ? Dictionary(picks.names().map { ($0, picks.string()) }, uniquingKeysWith: { a, _ in a }) : nil)
            default: break
            }
            return NamedUser(name: name, user: user)
        }
        return Kubeconfig(clusters: clusters, contexts: contexts, users: users, currentContext: picks.string(),
                          preferences: KubeconfigPreferences(colors: picks.bool()))
    }

    /// What reading adds: client-go's exec defaulting (v1beta1 without interactiveMode).
    static func defaulted(_ config: Kubeconfig) -> Kubeconfig {
        var config = config
        for index in config.users.indices { config.users[index].user.exec?.applyClientGoDefaults() }
        return config
    }

    @Test func whatIsWrittenReadsBackTheSame() async throws {
        await propertyCheck(count: 400, input: Gen.int(in: 0...10_000).array(of: 0...120)) { values in
            let config = Self.config(from: values)
            let yaml = KubeconfigYAMLWriter.yaml(for: config)
            let read = try KubeconfigYAMLReader.read(yaml)
            #expect(read == Self.defaulted(config), "\(yaml)")
            // And writing what was read gives the same text: the writer is stable.
            #expect(KubeconfigYAMLWriter.yaml(for: read) == KubeconfigYAMLWriter.yaml(for: Self.defaulted(config)))
        }
    }
}
