import AsyncHTTPClient
import Cryptography
import Foundation
import IdentityCore
import Logging
import NIOCore
import NIOFoundationCompat
import NIOSSL

/// Fetches external issuers' keys over HTTPS for federated credentials:
/// `{iss}/.well-known/openid-configuration` → `jwks_uri` → JWKS.
///
/// Keys are cached per issuer for `cacheLifetime`; an unknown `kid` triggers one refetch, at
/// most every `refetchInterval`, and one fetch per issuer runs at a time (callers arriving
/// meanwhile share it), so a flood of assertions with made-up `kid`s cannot turn kubeid into a
/// request amplifier. Only `https` issuers are fetched, over TLS 1.2 or newer; redirects are
/// never followed; the discovery document must name the registered issuer and an `https`
/// `jwks_uri` that is not a loopback or link-local address (``ExternalIssuerDiscovery``).
public actor HTTPExternalIssuerKeySource: ExternalIssuerKeySource {
    private let client: HTTPClient
    private let cacheLifetime: TimeInterval
    private let refetchInterval: TimeInterval
    private let logger: Logger
    /// When the cached keys were fetched; injected so tests can age the cache.
    private let clock: any IdentityClock
    private var cache: [String: (keys: [VerificationKey], fetchedAt: Date)] = [:]
    private var fetches: [String: Task<[VerificationKey], any Error>] = [:]

    /// - Parameter trustedCAFile: PEM bundle trusted in addition to the system roots.
    public init(trustedCAFile: String? = nil, cacheLifetime: TimeInterval = 300, refetchInterval: TimeInterval = 30,
                clock: any IdentityClock = SystemClock(), logger: Logger = Logger(label: "kubeid.federation")) throws {
        let tls = Self.tlsConfiguration(trustedCAFile: trustedCAFile)
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        configuration.redirectConfiguration = .disallow
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.cacheLifetime = cacheLifetime
        self.refetchInterval = refetchInterval
        self.logger = logger
        self.clock = clock
    }

    /// TLS 1.2 or newer, the system roots plus `trustedCAFile`.
    static func tlsConfiguration(trustedCAFile: String?) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let trustedCAFile {
            tls.additionalTrustRoots = [.file(trustedCAFile)]
        }
        return tls
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func verificationKey(issuer: String, keyID: String?) async throws -> VerificationKey? {
        let now = clock.now()
        if let entry = cache[issuer], now.timeIntervalSince(entry.fetchedAt) < cacheLifetime,
           let key = Self.select(keyID, from: entry.keys) {
            return key
        }
        if let entry = cache[issuer], now.timeIntervalSince(entry.fetchedAt) < refetchInterval {
            return Self.select(keyID, from: entry.keys)
        }
        return Self.select(keyID, from: try await sharedFetch(issuer: issuer))
    }

    /// Fetches the issuer's keys, or joins the fetch already running for it.
    private func sharedFetch(issuer: String) async throws -> [VerificationKey] {
        if let running = fetches[issuer] { return try await running.value }
        let fetch = Task { try await self.fetchKeys(issuer: issuer) }
        fetches[issuer] = fetch
        defer { fetches[issuer] = nil }
        let keys = try await fetch.value
        cache[issuer] = (keys, clock.now())
        return keys
    }

    private static func select(_ keyID: String?, from keys: [VerificationKey]) -> VerificationKey? {
        if let keyID { return keys.first { $0.keyID == keyID } }
        return keys.count == 1 ? keys.first : nil
    }

    private struct ProviderMetadata: Decodable {
        var issuer: String?
        var jwks_uri: String
    }

    private func fetchKeys(issuer: String) async throws -> [VerificationKey] {
        guard let url = URL(string: issuer), url.scheme == "https" else { throw CryptoError.invalidIssuer }
        var base = issuer
        while base.hasSuffix("/") { base.removeLast() }
        let metadata = try JSONDecoder().decode(ProviderMetadata.self, from: try await get("\(base)/.well-known/openid-configuration"))
        let jwksURL: URL
        do {
            jwksURL = try ExternalIssuerDiscovery.jwksURL(registeredIssuer: issuer, documentedIssuer: metadata.issuer,
                                                          jwksURI: metadata.jwks_uri, resolve: Self.addresses(of:))
        } catch let refusal as ExternalIssuerDiscovery.Refusal {
            // The caller turns the refusal into the token endpoint's Entra-shaped error.
            logger.warning("external issuer refused", metadata: ["issuer": "\(issuer.prefix(200))", "reason": "\(refusal)"])
            throw refusal
        }
        let set = try JSONDecoder().decode(JWKSet.self, from: try await get(jwksURL.absoluteString))
        return set.keys.compactMap { jwk -> VerificationKey? in
            guard jwk.use == nil || jwk.use == "sig", let publicKey = try? PublicKey(jwk: jwk) else { return nil }
            let algorithm: JWSAlgorithm
            if let named = jwk.alg {
                guard let known = JWSAlgorithm(rawValue: named) else { return nil }
                algorithm = known
            } else {
                algorithm = publicKey.kind == .p256 ? .es256 : .rs256
            }
            return VerificationKey(keyID: jwk.kid ?? publicKey.thumbprint, algorithm: algorithm, publicKey: publicKey)
        }
    }

    /// The addresses `host` resolves to, as text; empty when it does not resolve (the fetch then
    /// fails by itself).
    static func addresses(of host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var result: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if let address = entry.pointee.ai_addr {
                switch Int32(address.pointee.sa_family) {
                case AF_INET:
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                        var raw = v4.pointee.sin_addr
                        _ = inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count))
                    }
                case AF_INET6:
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                        var raw = v6.pointee.sin6_addr
                        _ = inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count))
                    }
                default: break
                }
            }
            let text = String(cString: buffer)
            if !text.isEmpty { result.append(text) }
            cursor = entry.pointee.ai_next
        }
        return result
    }

    private func get(_ url: String) async throws -> Data {
        let request = HTTPClientRequest(url: url)
        let response = try await client.execute(request, timeout: .seconds(10))
        guard response.status == .ok else {
            logger.warning("external issuer answered \(response.status.code)", metadata: ["url": "\(url)"])
            throw CryptoError.invalidIssuer
        }
        let body = try await response.body.collect(upTo: 1024 * 1024)
        return Data(buffer: body)
    }
}
