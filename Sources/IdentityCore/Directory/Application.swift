import Foundation

/// An application registration: a client that signs in, a resource that tokens are issued for,
/// or both. Entra keeps the registration (app) and its tenant-local instance (service principal)
/// apart; kubeid does the same so `appid` and `oid` differ as they do in Entra tokens.
public struct Application: Sendable, Hashable, Codable {
    public var tenantID: String
    /// The client id (`appid`/`azp` in tokens, `client_id` on the wire).
    public var appID: String
    /// The registration's own object id (not the service principal's).
    public var objectID: String
    public var displayName: String
    /// Other names a resource answers to in `scope`/`resource` (e.g. `api://kubernetes`).
    public var identifierURIs: [String]
    /// Which access-token shape this app receives as a *resource*: 1 (`sts`-style issuer) or 2.
    public var accessTokenVersion: Int
    /// Public clients (device code, interactive) hold no credential.
    public var isPublicClient: Bool
    /// Delegated scopes this resource exposes (the AKS server app exposes `user.read`).
    public var exposedScopes: [String]
    /// Registered redirect URIs for the authorization-code flow.
    public var redirectURIs: [String]
    public var createdAt: Date
    /// Whether this client may use the resource-owner password grant (ROPC). Off unless an
    /// administrator enables it (`kubeid app update --enable-ropc`; RFC 9700 §2.4).
    public var isPasswordGrantEnabled: Bool
    /// Whether this confidential client may start the authorization-code flow without PKCE, for
    /// a web app that cannot send a challenge. Off unless an administrator allows it
    /// (`kubeid app update --allow-code-without-pkce`): PKCE is what protects a code against
    /// injection (RFC 9700 §2.1.1, §4.5), and public clients always need it whatever this says.
    public var allowsCodeWithoutPKCE: Bool

    public init(tenantID: String, appID: String, objectID: String, displayName: String,
                identifierURIs: [String] = [], accessTokenVersion: Int = 2, isPublicClient: Bool = false,
                exposedScopes: [String] = [], redirectURIs: [String] = [], createdAt: Date,
                isPasswordGrantEnabled: Bool = false, allowsCodeWithoutPKCE: Bool = false) {
        self.tenantID = tenantID
        self.appID = appID
        self.objectID = objectID
        self.displayName = displayName
        self.identifierURIs = identifierURIs
        self.accessTokenVersion = accessTokenVersion
        self.isPublicClient = isPublicClient
        self.exposedScopes = exposedScopes
        self.redirectURIs = redirectURIs
        self.createdAt = createdAt
        self.isPasswordGrantEnabled = isPasswordGrantEnabled
        self.allowsCodeWithoutPKCE = allowsCodeWithoutPKCE
    }
}

extension Application {
    private enum CodingKeys: String, CodingKey {
        case tenantID, appID, objectID, displayName, identifierURIs, accessTokenVersion, isPublicClient
        case exposedScopes, redirectURIs, createdAt, isPasswordGrantEnabled, allowsCodeWithoutPKCE
    }

    /// Decodes values written before `isPasswordGrantEnabled` or `allowsCodeWithoutPKCE` existed
    /// as "disabled".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(tenantID: try container.decode(String.self, forKey: .tenantID),
                  appID: try container.decode(String.self, forKey: .appID),
                  objectID: try container.decode(String.self, forKey: .objectID),
                  displayName: try container.decode(String.self, forKey: .displayName),
                  identifierURIs: try container.decode([String].self, forKey: .identifierURIs),
                  accessTokenVersion: try container.decode(Int.self, forKey: .accessTokenVersion),
                  isPublicClient: try container.decode(Bool.self, forKey: .isPublicClient),
                  exposedScopes: try container.decode([String].self, forKey: .exposedScopes),
                  redirectURIs: try container.decode([String].self, forKey: .redirectURIs),
                  createdAt: try container.decode(Date.self, forKey: .createdAt),
                  isPasswordGrantEnabled: try container.decodeIfPresent(Bool.self, forKey: .isPasswordGrantEnabled) ?? false,
                  allowsCodeWithoutPKCE: try container.decodeIfPresent(Bool.self, forKey: .allowsCodeWithoutPKCE) ?? false)
    }
}
