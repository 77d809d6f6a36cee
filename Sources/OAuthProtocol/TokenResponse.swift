/// A successful token response, in the shape of the endpoint version that was called
/// (docs/compatibility.md, Token responses): v2 sends integers, v1 sends strings plus `expires_on`,
/// `not_before` and `resource` (ADAL computes expiry from `expires_on`).
public struct TokenResponse: Sendable, Equatable {
    public var accessToken: String
    public var expiresIn: Int
    public var expiresOn: Int
    public var notBefore: Int
    public var resource: String?
    public var scope: String?
    public var refreshToken: String?
    public var idToken: String?
    public var clientInfo: String?

    public init(accessToken: String, expiresIn: Int, expiresOn: Int, notBefore: Int, resource: String? = nil,
                scope: String? = nil, refreshToken: String? = nil, idToken: String? = nil, clientInfo: String? = nil) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.expiresOn = expiresOn
        self.notBefore = notBefore
        self.resource = resource
        self.scope = scope
        self.refreshToken = refreshToken
        self.idToken = idToken
        self.clientInfo = clientInfo
    }

    /// The JSON object for `version`, as an ordered list of members (order as Entra sends them).
    public func jsonObject(for version: EndpointVersion) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [("token_type", .string("Bearer"))]
        switch version {
        case .v2:
            if let scope { members.append(("scope", .string(scope))) }
            members.append(("expires_in", .number(Double(expiresIn))))
            members.append(("ext_expires_in", .number(Double(expiresIn))))
        case .v1:
            if let scope { members.append(("scope", .string(scope))) }
            members.append(("expires_in", .string(String(expiresIn))))
            members.append(("ext_expires_in", .string(String(expiresIn))))
            members.append(("expires_on", .string(String(expiresOn))))
            members.append(("not_before", .string(String(notBefore))))
            if let resource { members.append(("resource", .string(resource))) }
        }
        members.append(("access_token", .string(accessToken)))
        if let refreshToken { members.append(("refresh_token", .string(refreshToken))) }
        if let idToken { members.append(("id_token", .string(idToken))) }
        if let clientInfo { members.append(("client_info", .string(clientInfo))) }
        return members
    }

    /// Serialised JSON bytes for `version`.
    public func encoded(for version: EndpointVersion) -> [UInt8] {
        JSONValue.object(jsonObject(for: version)).serialized()
    }
}
