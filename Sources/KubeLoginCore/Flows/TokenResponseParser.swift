import Cryptography
import Foundation

/// Turns a successful token response into an ``AcquiredToken``: expiry from `expires_in`
/// (number or string, as MSAL accepts) or else `expires_on`, the account from `client_info`
/// and the id token's claims (decoded only: the token came straight from the issuer over TLS).
enum TokenResponseParser {
    static func parse(_ response: HTTPResponse, now: Date) throws -> AcquiredToken {
        guard let object = JSONObject(bytes: response.body) else {
            throw HTTPTransportError("token endpoint answered HTTP \(response.status) without a JSON object")
        }
        guard let accessToken = object.string("access_token"), !accessToken.isEmpty else {
            throw HTTPTransportError("token response has no access_token")
        }
        let nowSeconds = Int64(now.timeIntervalSince1970)
        let expiresOn: Int64
        if let expiresIn = object.integer("expires_in") {
            expiresOn = nowSeconds + expiresIn
        } else if let absolute = object.integer("expires_on") {
            expiresOn = absolute
        } else {
            throw HTTPTransportError("expires_in and expires_on are both missing or invalid")
        }
        let refreshToken = object.string("refresh_token").flatMap { $0.isEmpty ? nil : $0 }
        return AcquiredToken(accessToken: accessToken, expiresOn: expiresOn, refreshToken: refreshToken,
                             account: account(idToken: object.string("id_token"), clientInfo: object.string("client_info")))
    }

    static func account(idToken: String?, clientInfo: String?) -> SignedInAccount? {
        guard let idToken, let claims = payload(ofJWT: idToken) else { return nil }
        var home = ""
        if let clientInfo, let bytes = Base64URL.decode(clientInfo, allowPadding: true), let info = JSONObject(bytes: bytes),
           let uid = info.string("uid"), let utid = info.string("utid") {
            home = "\(uid).\(utid)"
        } else if let oid = claims.string("oid"), let tid = claims.string("tid") {
            home = "\(oid).\(tid)"
        }
        let issuer = claims.string("iss") ?? ""
        let authority = issuer.range(of: "://").map { String(issuer[$0.upperBound...].prefix { $0 != "/" }) } ?? ""
        let username = claims.string("preferred_username") ?? claims.string("upn") ?? claims.string("unique_name") ?? ""
        return SignedInAccount(homeAccountID: home, username: username, tenantID: claims.string("tid") ?? "", authority: authority)
    }

    /// The payload of a compact JWS, decoded without verification.
    static func payload(ofJWT token: String) -> JSONObject? {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3, let bytes = Base64URL.decode(segments[1], allowPadding: true) else { return nil }
        return JSONObject(bytes: bytes)
    }
}
