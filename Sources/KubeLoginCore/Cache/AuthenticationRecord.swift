import Foundation

/// `<cache-dir>/auth.json`: azidentity's AuthenticationRecord, in upstream's exact format
/// (`{"authority":…,"clientId":…,"homeAccountId":…,"tenantId":…,"username":…,"version":"1.0"}`).
/// Reading is case-insensitive, as upstream's is. It holds no secret.
public struct AuthenticationRecord: Sendable, Equatable {
    public var authority: String
    public var clientID: String
    public var homeAccountID: String
    public var tenantID: String
    public var username: String
    public var version: String

    public init(authority: String, clientID: String, homeAccountID: String, tenantID: String, username: String, version: String = "1.0") {
        self.authority = authority
        self.clientID = clientID
        self.homeAccountID = homeAccountID
        self.tenantID = tenantID
        self.username = username
        self.version = version
    }

    public static func path(inCacheDirectory directory: String) -> String {
        directory.hasSuffix("/") ? directory + "auth.json" : directory + "/auth.json"
    }

    /// Nil when the file is missing, not a JSON object, a symbolic link, or not private to the
    /// current user (then it counts as missing and is replaced, by rename, on the next sign-in).
    public static func read(from path: String) -> AuthenticationRecord? {
        guard let bytes = PrivateFiles.privateContents(of: path), let object = JSONObject(bytes: bytes) else { return nil }
        var lowered: [String: String] = [:]
        for (name, value) in object.members { if let text = value as? String { lowered[name.lowercased()] = text } }
        return AuthenticationRecord(authority: lowered["authority"] ?? "", clientID: lowered["clientid"] ?? "",
                                    homeAccountID: lowered["homeaccountid"] ?? "", tenantID: lowered["tenantid"] ?? "",
                                    username: lowered["username"] ?? "", version: lowered["version"] ?? "")
    }

    /// Go's `json.Marshal` of the record: compact, in field order, no trailing newline.
    public var json: String {
        var out = "{"
        for (index, (name, value)) in [("authority", authority), ("clientId", clientID), ("homeAccountId", homeAccountID),
                                       ("tenantId", tenantID), ("username", username), ("version", version)].enumerated() {
            if index > 0 { out += "," }
            out += "\"\(name)\":"
            GoJSONString.append(value, to: &out)
        }
        return out + "}"
    }

    /// Writes the record (directory 0700, file 0600).
    public func write(to path: String) throws {
        try PrivateFiles.makeDirectory((path as NSString).deletingLastPathComponent)
        try PrivateFiles.writeAtomically(Array(json.utf8), to: path)
    }
}
