/// The user-flow token requests that are one POST each: refresh (RFC 6749 §6) and the
/// resource-owner password grant (docs/compatibility.md, User grants). Both send `client_info=1` so
/// the answer names the account.
enum UserTokenRequests {
    static func refresh(client: EntraClient, clientID: String, scope: String, refreshToken: String) async throws -> EntraClient.TokenResult {
        try await client.requestToken([
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientID),
            ("client_info", "1"), ("scope", scope),
        ])
    }

    static func password(client: EntraClient, clientID: String, scope: String, username: String, password: String) async throws -> AcquiredToken {
        let result = try await client.requestToken([
            ("grant_type", "password"), ("username", username), ("password", password), ("client_id", clientID),
            ("client_info", "1"), ("scope", scope),
        ])
        switch result {
        case .token(let token): return token
        case .error(let error): throw error
        }
    }
}
