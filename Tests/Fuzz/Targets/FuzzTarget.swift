@testable import Cryptography
@testable import IdentityHTTP
import KubeLoginCore
import KubernetesTypes
import OAuthProtocol

/// The parsers an attacker (or a broken file) can feed: each target takes arbitrary bytes and
/// must only ever answer or throw. A crash, a sanitizer report, a leak or a hang is a finding.
///
/// Internal parsers (the JWT's JSON, the form body, Graph's `$filter`) are reached with
/// `@testable import`, which is why the fuzz build is a debug build.
enum FuzzTarget: String, CaseIterable {
    case jwt, json, form, odataFilter = "odata-filter", kubeconfig, execInfo = "exec-info", certificate

    func run(_ bytes: [UInt8]) {
        switch self {
        case .jwt: Self.jwt(bytes)
        case .json: Self.json(bytes)
        case .form: Self.form(bytes)
        case .odataFilter: Self.odataFilter(bytes)
        case .kubeconfig: Self.kubeconfig(bytes)
        case .execInfo: Self.execInfo(bytes)
        case .certificate: Self.certificate(bytes)
        }
    }

    /// A compact JWS as a client sends it (our header parser, libjwt's verification with the
    /// algorithm pinned by the key, the claims), and the two JSON segments on their own.
    static func jwt(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? JWTVerifier().verify(text) { _ in FuzzKeys.rsa }
        _ = try? JWTVerifier().verify(text) { _ in FuzzKeys.ec }
        _ = try? JOSEHeader(json: bytes)
        _ = try? JWTClaims(json: bytes)
    }

    /// The strict JSON parser of token segments, and Graph's request-body reader.
    static func json(_ bytes: [UInt8]) {
        _ = try? JSONParser.parse(bytes)
        _ = try? GraphRequestBody.parse(bytes)
    }

    /// Token request bodies and query strings.
    static func form(_ bytes: [UInt8]) {
        _ = FormURLEncoding.decode(bytes: bytes)
        _ = try? FormBody.parse(bytes)
    }

    /// Graph's `$filter`, parsed and then evaluated against a user-shaped object.
    static func odataFilter(_ bytes: [UInt8]) {
        guard let filter = try? ODataFilter.parse(String(decoding: bytes, as: UTF8.self)) else { return }
        _ = filter.matches(FuzzKeys.sampleUser)
    }

    /// A kubeconfig: read, every user converted as `kubelogin convert-kubeconfig` would, written
    /// back and read again.
    static func kubeconfig(_ bytes: [UInt8]) {
        guard var config = try? KubeconfigYAMLReader.read(String(decoding: bytes, as: UTF8.self)) else { return }
        let converter = KubeconfigConverter(options: TokenOptions(defaultCacheDir: "/nonexistent"))
        for index in config.users.indices where KubeconfigConverter.isConvertible(config.users[index].user) {
            if let converted = try? converter.convert(config.users[index].user) { config.users[index].user = converted }
        }
        _ = try? KubeconfigYAMLReader.read(KubeconfigYAMLWriter.yaml(for: config))
    }

    /// `KUBERNETES_EXEC_INFO` as kubectl sets it.
    static func execInfo(_ bytes: [UInt8]) {
        _ = try? ExecCredentialRequest.apiVersion(execInfo: String(decoding: bytes, as: UTF8.self))
    }

    /// What a client can hand over as a certificate: DER, PEM (certificates and keys), PKCS#12.
    static func certificate(_ bytes: [UInt8]) {
        _ = try? Certificate(der: bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? Certificate.parseAll(pem: text)
        _ = try? PublicKey(pem: text)
        _ = try? PrivateKey(pem: text)
        _ = try? PKCS12.parse(bytes, password: "fuzz")
    }
}
