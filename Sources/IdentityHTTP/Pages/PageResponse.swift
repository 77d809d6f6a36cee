import Cryptography
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Responses of the sign-in pages, with the headers every page carries (RFC 9700 §4.2, §4.7, §4.12,
/// §4.16): a strict Content-Security-Policy (`frame-ancestors 'none'`, no inline script except a
/// nonce'd one for form_post), `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`,
/// `Cache-Control: no-store`, and the session cookie.
enum PageResponse {
    static let csp = HTTPField.Name("Content-Security-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let pragma = HTTPField.Name("Pragma")!

    /// - Parameters:
    ///   - formTargets: extra origins forms may post (or be redirected) to, e.g. a client's loopback listener.
    ///   - scriptNonce: allows one inline script with this nonce.
    static func html(_ body: String, status: HTTPResponse.Status = .ok, cookie: String? = nil,
                     formTargets: [String] = [], scriptNonce: String? = nil) -> Response {
        var headers = securityHeaders(formTargets: formTargets, scriptNonce: scriptNonce)
        headers[.contentType] = "text/html; charset=utf-8"
        var response = Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        if let cookie { response.headers[values: .setCookie].append(cookie) }
        return response
    }

    /// 303 See Other: the answer to every form POST that moves the user on (never 307).
    static func seeOther(_ location: String, cookie: String? = nil, formTargets: [String] = []) -> Response {
        var headers = securityHeaders(formTargets: formTargets, scriptNonce: nil)
        headers[.location] = location
        var response = Response(status: .seeOther, headers: headers)
        if let cookie { response.headers[values: .setCookie].append(cookie) }
        return response
    }

    static func securityHeaders(formTargets: [String], scriptNonce: String?) -> HTTPFields {
        let forms = (["'self'"] + formTargets).joined(separator: " ")
        let script = scriptNonce.map { "script-src 'nonce-\($0)'; " } ?? ""
        return [
            csp: "default-src 'none'; \(script)style-src 'self'; img-src 'self' data:; form-action \(forms); frame-ancestors 'none'; base-uri 'none'",
            frameOptions: "DENY",
            referrerPolicy: "no-referrer",
            contentTypeOptions: "nosniff",
            .cacheControl: "no-store",
            pragma: "no-cache",
        ]
    }

    /// The origin (`scheme://host[:port]`) of a URI, for `form-action`; nil for anything odd.
    static func origin(of uri: String) -> String? {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty,
              host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "[" || $0 == "]" }),
              scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) else { return nil }
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart)" + (components.port.map { ":\($0)" } ?? "")
    }

    static func nonce() -> String { Base64URL.encode(SecureRandom.bytes(16)) }
}
