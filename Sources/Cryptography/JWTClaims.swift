import Foundation

/// A JWT payload with typed accessors and the registered-claim checks of RFC 7519 §4.1.
///
/// Duplicate member names are rejected at parse time (`.malformedToken`), because jansson and
/// other parsers keep the last one and two components could disagree about who the subject is.
public struct JWTClaims: Sendable {
    /// The payload bytes this value was parsed from.
    public let json: [UInt8]
    private let members: [String: JSONValue]

    /// The largest clock skew ``validate(now:issuer:audience:leeway:maximumLifetime:)`` allows (RFC 8725 §3.8-3.9).
    public static let maximumLeeway: TimeInterval = 60

    /// - Throws: `.malformedToken` unless `json` is a JSON object without duplicate names.
    public init(json: [UInt8]) throws {
        guard case .object(let members) = try JSONParser.parse(json) else {
            throw CryptoError.malformedToken("JWT payload is not a JSON object")
        }
        self.json = json
        self.members = members
    }

    public func string(_ name: String) -> String? { members[name]?.stringValue }

    /// A numeric claim. Fractional values are kept: MSAL sends `exp`/`iat` as floats.
    public func number(_ name: String) -> Double? { members[name]?.numberValue }

    /// A string, or an array made only of strings (the two shapes RFC 7519 allows for `aud`).
    public func strings(_ name: String) -> [String]? {
        switch members[name] {
        case .string(let s): return [s]
        case .array(let elements):
            let texts = elements.compactMap(\.stringValue)
            return texts.count == elements.count ? texts : nil
        default: return nil
        }
    }

    /// Whether the payload has a member `name` at all (of any type).
    public func contains(_ name: String) -> Bool { members[name] != nil }

    public var issuer: String? { string("iss") }
    public var subject: String? { string("sub") }
    public var audiences: [String] { strings("aud") ?? [] }
    public var expiresAt: Date? { number("exp").map(Date.init(timeIntervalSince1970:)) }
    public var notBefore: Date? { number("nbf").map(Date.init(timeIntervalSince1970:)) }
    public var issuedAt: Date? { number("iat").map(Date.init(timeIntervalSince1970:)) }
    public var jwtID: String? { string("jti") }

    /// Checks the registered claims against `now`.
    ///
    /// - `exp` is required and numeric; `now > exp + leeway` → `.expired`.
    /// - `nbf`, if present, must be numeric; `nbf > now + leeway` → `.notYetValid`.
    /// - `iat`, if present, must be numeric; `iat > now + leeway` (issued in the future) → `.notYetValid`.
    /// - `issuer`, if given, must equal `iss` exactly (a trailing slash matters) → `.invalidIssuer`.
    /// - `audience`, if given, must be one of `aud` → `.invalidAudience`.
    /// - `maximumLifetime`, if given, bounds how far ahead `exp` may be: `exp > now + maximumLifetime + leeway`
    ///   → `.invalidClaims` (e.g. client assertions valid for at most 5 minutes).
    ///
    /// - Parameter leeway: clock skew allowance; negative values count as 0 and values above 60 s as 60 s.
    public func validate(now: Date, issuer: String?, audience: String?, leeway: TimeInterval = 60,
                         maximumLifetime: TimeInterval? = nil) throws {
        let skew = min(max(leeway, 0), Self.maximumLeeway)
        let nowSeconds = now.timeIntervalSince1970
        guard contains("exp") else { throw CryptoError.invalidClaims("exp is required") }
        guard let exp = number("exp") else { throw CryptoError.invalidClaims("exp is not numeric") }
        guard nowSeconds <= exp + skew else { throw CryptoError.expired("token expired at \(exp)") }
        if contains("nbf") {
            guard let nbf = number("nbf") else { throw CryptoError.invalidClaims("nbf is not numeric") }
            guard nbf <= nowSeconds + skew else { throw CryptoError.notYetValid("token not valid before \(nbf)") }
        }
        if contains("iat") {
            guard let iat = number("iat") else { throw CryptoError.invalidClaims("iat is not numeric") }
            guard iat <= nowSeconds + skew else { throw CryptoError.notYetValid("token issued in the future (\(iat))") }
        }
        if let maximumLifetime, exp > nowSeconds + maximumLifetime + skew {
            throw CryptoError.invalidClaims("exp is more than \(Int(maximumLifetime)) s ahead")
        }
        if let issuer {
            guard contains("iss") else { throw CryptoError.invalidIssuer("iss is missing") }
            guard self.issuer == issuer else { throw CryptoError.invalidIssuer("iss does not match") }
        }
        if let audience {
            guard let audiences = strings("aud") else { throw CryptoError.invalidAudience("aud is missing or not strings") }
            guard audiences.contains(audience) else { throw CryptoError.invalidAudience("aud does not include the expected audience") }
        }
    }
}
