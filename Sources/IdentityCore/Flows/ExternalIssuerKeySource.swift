import Cryptography
import Foundation

/// Fetches the signing keys of an external issuer (a Kubernetes cluster's service-account
/// issuer, a CI system) whose tokens a federated credential trusts. Implemented over HTTPS by
/// the HTTP adapter; the domain only asks.
public protocol ExternalIssuerKeySource: Sendable {
    /// The issuer's key with this `kid` (or its only key when `keyID` is nil), with the algorithm
    /// pinned from the key itself; nil when the issuer publishes no such key.
    /// Throws when the issuer cannot be reached or its documents are malformed, and
    /// ``ExternalIssuerDiscovery/Refusal`` when its discovery document breaks a rule below.
    func verificationKey(issuer: String, keyID: String?) async throws -> VerificationKey?
}

/// What an external issuer's discovery document must satisfy before kubeid fetches its keys:
///
/// - its `issuer` is exactly the registered issuer (OpenID Connect Discovery 1.0 §4.3: "MUST be
///   identical to the Issuer URL that was used as the prefix to `/.well-known/openid-configuration`"),
///   so a document served at one issuer's address cannot speak for another;
/// - `jwks_uri` is `https`;
/// - `jwks_uri` does not point at a loopback, link-local or unspecified address (a cloud metadata
///   service at `169.254.169.254`, a local admin port) unless the issuer itself is on one, so a
///   registered issuer's document cannot turn kubeid into a request forwarder to its own host
///   (RFC 8725 §2.9; server-side request forgery). Redirects are never followed.
public enum ExternalIssuerDiscovery {
    public enum Refusal: Error, Equatable, CustomStringConvertible, Sendable {
        case issuerMismatch(documented: String?)
        case jwksNotHTTPS
        case jwksAddressNotAllowed(String)

        public var description: String {
            switch self {
            case .issuerMismatch(let documented):
                "the discovery document's issuer \(documented.map { "'\($0.prefix(200))'" } ?? "(missing)") is not the registered issuer"
            case .jwksNotHTTPS: "jwks_uri must be an https URL"
            case .jwksAddressNotAllowed(let host):
                "jwks_uri host \(host.prefix(200)) is a loopback or link-local address and the issuer is not"
            }
        }
    }

    /// The `jwks_uri` to fetch, or the refusal. `resolve` gives the addresses a host name (or IP
    /// literal) stands for, as text (`inet_ntop` forms); an IP literal resolves to itself.
    public static func jwksURL(registeredIssuer: String, documentedIssuer: String?, jwksURI: String,
                               resolve: (String) -> [String]) throws -> URL {
        guard documentedIssuer == registeredIssuer else { throw Refusal.issuerMismatch(documented: documentedIssuer) }
        guard let jwks = URL(string: jwksURI), jwks.scheme?.lowercased() == "https",
              let jwksHost = host(of: jwks) else { throw Refusal.jwksNotHTTPS }
        let issuerHost = URL(string: registeredIssuer).flatMap(host(of:)) ?? ""
        if isInternalHost(issuerHost, resolve: resolve) { return jwks }
        if isInternalHost(jwksHost, resolve: resolve) { throw Refusal.jwksAddressNotAllowed(jwksHost) }
        return jwks
    }

    static func host(of url: URL) -> String? {
        guard var host = url.host, !host.isEmpty else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.lowercased()
    }

    static func isInternalHost(_ host: String, resolve: (String) -> [String]) -> Bool {
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        if isInternalAddress(host) { return true }
        return resolve(host).contains(where: isInternalAddress)
    }

    /// Loopback (`127.0.0.0/8`, `::1`), link-local (`169.254.0.0/16`, `fe80::/10`), unspecified
    /// (`0.0.0.0/8`, `::`), also as IPv4-mapped IPv6 addresses.
    public static func isInternalAddress(_ text: String) -> Bool {
        var text = text.lowercased()
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        if let v4 = ipv4(text) { return internalIPv4(v4) }
        guard let v6 = ipv6(text) else { return false }
        if v6.allSatisfy({ $0 == 0 }) { return true }                                   // ::
        if v6[0 ..< 15].allSatisfy({ $0 == 0 }) && v6[15] == 1 { return true }          // ::1
        if v6[0] == 0xfe && v6[1] & 0xc0 == 0x80 { return true }                        // fe80::/10
        if v6[0 ..< 10].allSatisfy({ $0 == 0 }) && v6[10] == 0xff && v6[11] == 0xff {   // ::ffff:a.b.c.d
            return internalIPv4(Array(v6[12 ..< 16]))
        }
        return false
    }

    private static func internalIPv4(_ octets: [UInt8]) -> Bool {
        octets[0] == 127 || octets[0] == 0 || (octets[0] == 169 && octets[1] == 254)
    }

    private static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let octets = parts.compactMap { UInt8($0) }
        return octets.count == 4 ? octets : nil
    }

    /// The 16 bytes of an IPv6 literal (with `::` and an optional dotted IPv4 tail), or nil.
    static func ipv6(_ text: String) -> [UInt8]? {
        guard text.contains(":") else { return nil }
        var tail: [UInt8] = []
        var body = text
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = ipv4(String(text[text.index(after: lastColon)...])) else { return nil }
            tail = v4
            body = String(text[...lastColon])
            if body.hasSuffix(":") && !body.hasSuffix("::") { body.removeLast() }
        }
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            var values: [UInt16] = []
            for field in fields {
                guard (1...4).contains(field.count), let value = UInt16(field, radix: 16) else { return nil }
                values.append(value)
            }
            return values
        }
        let wanted = tail.isEmpty ? 8 : 6
        var words: [UInt16]
        if let range = body.range(of: "::") {
            guard let head = groups(body[..<range.lowerBound]), let rest = groups(body[range.upperBound...]),
                  head.count + rest.count < wanted, !body[range.upperBound...].contains("::") else { return nil }
            words = head + Array(repeating: 0, count: wanted - head.count - rest.count) + rest
        } else {
            guard let all = groups(Substring(body)), all.count == wanted else { return nil }
            words = all
        }
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] } + tail
    }
}
