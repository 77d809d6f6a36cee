/// A kubeconfig that cannot be read: the file is not YAML, or not in the v1 `Config` shape.
public struct KubeconfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
