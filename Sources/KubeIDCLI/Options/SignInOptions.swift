import ArgumentParser
import Foundation
import IdentityCore

/// `serve`'s settings for user sign-in: flag, then `KUBEID_*` environment, then default.
struct SignInOptions: ParsableArguments {
    @Option(name: .customLong("device-code-lifetime"),
            help: "Seconds a device code stays valid (env KUBEID_DEVICE_CODE_LIFETIME; default 900, as Entra).")
    var deviceCodeLifetime: Int?
    @Option(name: .customLong("refresh-token-inactivity"),
            help: "Days an unused refresh token stays valid (env KUBEID_REFRESH_TOKEN_INACTIVITY_DAYS; default 90).")
    var refreshTokenInactivityDays: Int?

    func apply(to configuration: inout IssuerConfiguration,
               environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if let seconds = deviceCodeLifetime ?? environment["KUBEID_DEVICE_CODE_LIFETIME"].flatMap(Int.init) {
            guard (5...3600).contains(seconds) else { throw CLIError("--device-code-lifetime must be between 5 and 3600 seconds") }
            configuration.deviceCode.lifetime = TimeInterval(seconds)
        }
        if let days = refreshTokenInactivityDays ?? environment["KUBEID_REFRESH_TOKEN_INACTIVITY_DAYS"].flatMap(Int.init) {
            guard (1...365).contains(days) else { throw CLIError("--refresh-token-inactivity must be between 1 and 365 days") }
            configuration.refreshTokenInactivity = TimeInterval(days) * 86_400
        }
    }
}
