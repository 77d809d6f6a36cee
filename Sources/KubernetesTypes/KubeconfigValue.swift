/// A JSON-shaped value: what client-go's kubeconfig encoding produces before it is turned into
/// YAML (`runtime.Encode` → JSON → `sigs.k8s.io/yaml.JSONToYAML`).
///
/// Used for the parts of a kubeconfig kubeid does not model field by field (`extensions`), and as
/// the intermediate form of ``KubeconfigYAMLWriter``. Mapping members keep the order given; the
/// writer sorts them the way go-yaml v2 does.
public indirect enum KubeconfigValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// An integer or float in its literal text form (`1`, `1.5`), emitted unquoted.
    case number(String)
    case string(String)
    case sequence([KubeconfigValue])
    case mapping([KubeconfigMember])

    /// The members of a mapping, or nil for any other value.
    public var members: [KubeconfigMember]? {
        if case .mapping(let members) = self { return members }
        return nil
    }

    /// The member `name` of a mapping (the first one, if a file repeats it).
    public subscript(name: String) -> KubeconfigValue? {
        members?.first { $0.name == name }?.value
    }
}

/// One `name: value` member of a ``KubeconfigValue/mapping(_:)``.
public struct KubeconfigMember: Sendable, Equatable {
    public var name: String
    public var value: KubeconfigValue

    public init(_ name: String, _ value: KubeconfigValue) {
        self.name = name
        self.value = value
    }
}
