import ArgumentParser
import Cryptography
import Foundation
import IdentityCore

/// Token-issuance settings shared by `serve` and `keys rotate`.
struct TokenOptions: ParsableArguments {
    @Option(name: .customLong("access-token-lifetime"),
            help: "Access-token lifetime in seconds (env KUBEID_ACCESS_TOKEN_LIFETIME; default: random 3600-5400 like Entra).")
    var accessTokenLifetime: Int?
    @Option(name: .customLong("signing-algorithm"),
            help: "Algorithm of new signing keys: RS256 (default, as Entra) or ES256 (env KUBEID_SIGNING_ALGORITHM).")
    var signingAlgorithm: String?
    @Option(name: .customLong("group-overage-limit"),
            help: "Above this many groups a token carries an overage marker instead (default 200, as Entra).")
    var groupOverageLimit: Int?
    @Option(name: .customLong("key-rotation-interval"),
            help: "How long each signing key signs before the next takes over, e.g. 42d; 0 rotates only on `kubeid keys rotate` (env KUBEID_KEY_ROTATION_INTERVAL; default 42d).")
    var keyRotationInterval: String?
    @Option(name: .customLong("key-prepublish"),
            help: "How long a new signing key is in the JWKS before it signs, e.g. 48h; shorter than the rotation interval (env KUBEID_KEY_PREPUBLISH; default 48h).")
    var keyPrepublish: String?

    func issuerConfiguration(issuerURL: String,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> IssuerConfiguration {
        let lifetime: AccessTokenLifetime
        if let seconds = accessTokenLifetime ?? environment["KUBEID_ACCESS_TOKEN_LIFETIME"].flatMap(Int.init) {
            guard (300...86_400).contains(seconds) else {
                throw CLIError("--access-token-lifetime must be between 300 and 86400 seconds")
            }
            lifetime = .fixed(TimeInterval(seconds))
        } else {
            lifetime = .entraDefault
        }
        let algorithmName = (signingAlgorithm ?? environment["KUBEID_SIGNING_ALGORITHM"] ?? "RS256").uppercased()
        guard let algorithm = JWSAlgorithm(rawValue: algorithmName), algorithm != .ps256 else {
            throw CLIError("--signing-algorithm must be RS256 or ES256")
        }
        let overage = groupOverageLimit ?? GroupsClaim.defaultOverageLimit
        guard overage >= 1 else { throw CLIError("--group-overage-limit must be at least 1") }
        var configuration = IssuerConfiguration(issuerURL: issuerURL, accessTokenLifetime: lifetime,
                                                groupOverageLimit: overage, signingAlgorithm: algorithm)
        configuration.keyRotation = try keyRotationPolicy(environment: environment)
        return configuration
    }

    /// How long a new key is published before it signs (`--key-prepublish`).
    func keyPrepublication(environment: [String: String]) throws -> TimeInterval {
        try (keyPrepublish ?? environment["KUBEID_KEY_PREPUBLISH"])
            .map { try DurationText.seconds($0, flag: "--key-prepublish") } ?? KeyRotationPolicy.standard.prepublication
    }

    /// The automatic rotation the flags ask for; nil when the interval is 0.
    func keyRotationPolicy(environment: [String: String]) throws -> KeyRotationPolicy? {
        let standard = KeyRotationPolicy.standard
        let interval = try (keyRotationInterval ?? environment["KUBEID_KEY_ROTATION_INTERVAL"])
            .map { try DurationText.seconds($0, flag: "--key-rotation-interval") } ?? standard.interval
        let prepublication = try keyPrepublication(environment: environment)
        guard interval > 0 else { return nil }
        guard interval > prepublication else {
            throw CLIError("--key-rotation-interval (\(Int(interval)) s) must be longer than --key-prepublish (\(Int(prepublication)) s)")
        }
        return KeyRotationPolicy(interval: interval, prepublication: prepublication)
    }
}
