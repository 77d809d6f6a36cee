import Cryptography
import Foundation
import IdentityCore
import IdentityStoreSQLite
import Logging
import OAuthProtocol

/// A complete issuer on a fresh in-memory store with a manual clock: what domain and route
/// tests drive. Built with the same ``Issuer`` the server uses.
public struct TestIssuer: Sendable {
    public static let issuerURL = "https://issuer.test:8443"

    public let issuer: Issuer
    public let store: SQLiteIdentityStore
    public let clock: ManualClock
    public let hasher: SecretHasher
    public let externalKeys: StaticExternalIssuerKeys
    public let administration: DirectoryAdministration

    /// - Parameter configure: adjusts the configuration (lifetimes, overage limit...).
    public static func make(clock: ManualClock = ManualClock(),
                            configure: (inout IssuerConfiguration) -> Void = { _ in }) async throws -> TestIssuer {
        let store = try SQLiteIdentityStore.inMemory()
        let hasher = SecretHasher(key: SecureRandom.bytes(32))
        let externalKeys = StaticExternalIssuerKeys()
        var configuration = IssuerConfiguration(issuerURL: issuerURL, directoryCacheStaleness: 0)
        // scrypt at OWASP strength takes ~0.3 s per password; tests use the cheap parameters.
        configuration.passwordHashParameters = .testing
        configure(&configuration)
        let issuer = Issuer(configuration: configuration, store: store, hasher: hasher, externalKeys: externalKeys,
                            clock: clock, logger: Logger(label: "test"))
        try await issuer.start()
        return TestIssuer(issuer: issuer, store: store, clock: clock, hasher: hasher, externalKeys: externalKeys,
                          administration: DirectoryAdministration(store: store, clock: clock, hasher: hasher,
                                                                  passwordHasher: issuer.passwordHasher))
    }

    /// Verifies a token this issuer signed (signature with the pinned key, `iss`, `aud`, times)
    /// and returns its claims.
    public func verify(_ token: String, audience: String, tenantID: String, version: Int = 1,
                       engine: JWTEngine = .libjwt) async throws -> JWTClaims {
        let keys = try await issuer.keyRing.verificationKeys()
        let verified = try JWTVerifier(engine: engine).verify(token) { header in
            header.keyID.flatMap { keys[$0] }
        }
        try verified.claims.validate(now: clock.now(), issuer: issuer.urls.issuer(tenantID: tenantID, tokenVersion: version),
                                     audience: audience)
        return verified.claims
    }
}
