/// How a grant's client must identify itself.
public enum ClientRequirement: Sendable {
    /// The client authenticates (secret, certificate or federated assertion): client credentials.
    case confidential
    /// A public client names itself with `client_id`; a confidential one authenticates.
    case publicOrConfidential
}

/// The client of a token request once resolved.
public struct ResolvedClient: Sendable {
    public var record: ClientRecord
    /// `appidacr`/`azpacr`: "0" public, "1" secret, "2" certificate or assertion.
    public var authenticationClass: String
    /// How it authenticated; nil for a public client.
    public var authenticated: AuthenticatedClient?

    public var application: Application { record.application }
}
