import Foundation

/// What kubectl passes in `KUBERNETES_EXEC_INFO`, reduced to what the plugin uses: the API
/// version to answer with. (`spec.interactive` and `spec.cluster` are ignored, as upstream does.)
public enum ExecCredentialRequest {
    public struct UnsupportedError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// - unset or empty → v1beta1; JSON with an empty `apiVersion` → v1beta1;
    /// - v1 or v1beta1 → echoed; any other version → `api version: <v> is not supported`;
    /// - unparsable → `cannot unmarshal "<raw>" to ExecCredential: <reason>`.
    public static func apiVersion(execInfo raw: String?) throws -> ExecCredentialAPIVersion {
        guard let raw, !raw.isEmpty else { return .v1beta1 }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(raw.utf8))
        } catch {
            throw UnsupportedError(description: "cannot unmarshal \"\(raw)\" to ExecCredential: invalid character in JSON input")
        }
        guard let members = object as? [String: Any] else {
            throw UnsupportedError(description: "cannot unmarshal \"\(raw)\" to ExecCredential: json: cannot unmarshal non-object into Go value of type v1beta1.ExecCredential")
        }
        let version = members["apiVersion"] as? String ?? ""
        if version.isEmpty { return .v1beta1 }
        guard let known = ExecCredentialAPIVersion(rawValue: version) else {
            throw UnsupportedError(description: "api version: \(version) is not supported")
        }
        return known
    }
}
