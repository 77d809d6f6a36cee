import Cryptography
import Foundation

/// Checks RFC 6238 codes for an enrolment: the current 30-second step and one step either side
/// (clock drift), and never a step at or before the last accepted one, so a code seen over a
/// shoulder cannot be replayed.
public struct TOTPVerifier: Sendable {
    /// Steps accepted either side of now.
    public var window: Int64 = 1

    public init(window: Int64 = 1) {
        self.window = window
    }

    /// The step `code` is valid for, or nil. Accepting it means storing that step as
    /// ``TOTPEnrollment/lastAcceptedStep``.
    public func acceptedStep(for code: String, enrollment: TOTPEnrollment, now: Date) -> Int64? {
        let digits = code.filter { !$0.isWhitespace && $0 != "-" }
        guard digits.count == OneTimePassword.digits, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            return nil
        }
        let current = OneTimePassword.step(unixTime: Int64(now.timeIntervalSince1970))
        var accepted: Int64?
        // Check every candidate (no early exit) so timing does not reveal which step matched.
        for step in (current - window)...(current + window) {
            let expected = OneTimePassword.hotp(secret: enrollment.secret, counter: step)
            if OneTimePassword.matches(digits, expected), accepted == nil { accepted = step }
        }
        guard let accepted else { return nil }
        if let last = enrollment.lastAcceptedStep, accepted <= last { return nil }
        return accepted
    }

    /// The `otpauth://` URI authenticator apps read (Google's Key Uri Format).
    public static func provisioningURI(secret: [UInt8], account: String, issuer: String = "kubeid") -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~@")
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: allowed.union(CharacterSet(charactersIn: ":"))) ?? account
        let issuerParameter = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? issuer
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuerParameter)&algorithm=SHA1&digits=\(OneTimePassword.digits)&period=\(OneTimePassword.period)"
    }
}
