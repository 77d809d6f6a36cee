import Cryptography
import Foundation
import KubernetesTypes

/// The RFC 7523 client assertion MSAL Go signs for a certificate credential: RS256 with `x5t`
/// (base64url SHA-1 of the leaf) and `x5c` (the chain, standard base64 DER), claims `aud` =
/// token endpoint, `iss` = `sub` = client id, a fresh `jti`, valid for 10 minutes.
enum ClientAssertion {
    static func make(certificate: ClientCertificate, clientID: String, audience: String, now: Date) throws -> String {
        let issuedAt = Int64(now.timeIntervalSince1970)
        var header = #"{"alg":"RS256","typ":"JWT","x5t":"# + json(Base64URL.encode(certificate.chain[0].sha1Thumbprint))
        header += #","x5c":["# + certificate.chain.map { json(Base64.encode($0.der)) }.joined(separator: ",") + "]}"
        let claims = #"{"aud":"# + json(audience) + #","exp":\#(issuedAt + 600),"iat":\#(issuedAt),"iss":"# + json(clientID)
            + #","jti":"# + json(UUID().uuidString.lowercased()) + #","nbf":\#(issuedAt),"sub":"# + json(clientID) + "}"
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        let signature = try certificate.key.sign(Array(signingInput.utf8), algorithm: .rs256)
        return signingInput + "." + Base64URL.encode(signature)
    }

    private static func json(_ text: String) -> String {
        var out = ""
        GoJSONString.append(text, to: &out)
        return out
    }
}

/// JSON string quoting for hand-built documents, Go's way (HTML-safe escapes included).
enum GoJSONString {
    static func append(_ text: String, to out: inout String) {
        GoJSON.appendString(text, to: &out)
    }
}
