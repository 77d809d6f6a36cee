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
        return IssuerConfiguration(issuerURL: issuerURL, accessTokenLifetime: lifetime, groupOverageLimit: overage,
                                   signingAlgorithm: algorithm)
    }
}
