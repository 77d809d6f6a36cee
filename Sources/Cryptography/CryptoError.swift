/// An error from the cryptography layer: a stable ``Code`` plus a reason and the place it was thrown.
///
/// A struct wrapping a private enum rather than a public enum, so adding a code later breaks no
/// caller (the `NIOSSLError` lesson). Equality and hashing use the code only, so tests can write
/// `#expect(throws: CryptoError.expired) { … }` while logs still get the reason, file and line.
public struct CryptoError: Error, Hashable, CustomStringConvertible, Sendable {
    /// What went wrong, as a value callers can compare and switch over with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case invalidKey, unsupportedKey, unsupportedAlgorithm, unsupportedHeader, malformedToken, tokenTooLarge
            case unknownKey, algorithmMismatch, invalidSignature, invalidClaims, expired, notYetValid
            case invalidIssuer, invalidAudience, invalidCertificate, invalidArgument, openSSLFailure, randomFailure
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }
        public var description: String { backing.rawValue }

        /// Key material that cannot be parsed or is inconsistent.
        public static let invalidKey = Code(.invalidKey)
        /// A well-formed key we refuse: RSA below 2048 bits, an EC curve other than P-256, other key types.
        public static let unsupportedKey = Code(.unsupportedKey)
        /// An algorithm outside RS256/PS256/ES256, or one the chosen key or engine cannot do.
        public static let unsupportedAlgorithm = Code(.unsupportedAlgorithm)
        /// A JOSE header we refuse on principle: `crit`, `jku`, `x5u`, embedded `jwk` (RFC 8725 §3.10).
        public static let unsupportedHeader = Code(.unsupportedHeader)
        public static let malformedToken = Code(.malformedToken)
        public static let tokenTooLarge = Code(.tokenTooLarge)
        /// The token names no key of ours (unknown or hostile `kid`/`x5t`).
        public static let unknownKey = Code(.unknownKey)
        /// The token's `alg` differs from the algorithm pinned to the key it selected.
        public static let algorithmMismatch = Code(.algorithmMismatch)
        public static let invalidSignature = Code(.invalidSignature)
        public static let invalidClaims = Code(.invalidClaims)
        public static let expired = Code(.expired)
        public static let notYetValid = Code(.notYetValid)
        public static let invalidIssuer = Code(.invalidIssuer)
        public static let invalidAudience = Code(.invalidAudience)
        public static let invalidCertificate = Code(.invalidCertificate)
        /// A caller passed a value this API refuses (for example a reserved JOSE header name).
        public static let invalidArgument = Code(.invalidArgument)
        public static let openSSLFailure = Code(.openSSLFailure)
        public static let randomFailure = Code(.randomFailure)
    }

    public let code: Code
    /// Human-readable detail for logs; never contains key material or token contents.
    public let reason: String
    public let file: String
    public let line: Int

    public init(_ code: Code, reason: String = "", file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String {
        reason.isEmpty ? "CryptoError.\(code) (\(file):\(line))" : "CryptoError.\(code): \(reason) (\(file):\(line))"
    }
}

// One value per code for `#expect(throws: CryptoError.expired)`, and one factory per code that
// records a reason and the throw site.
extension CryptoError {
    public static let invalidKey = CryptoError(.invalidKey)
    public static let unsupportedKey = CryptoError(.unsupportedKey)
    public static let unsupportedAlgorithm = CryptoError(.unsupportedAlgorithm)
    public static let unsupportedHeader = CryptoError(.unsupportedHeader)
    public static let malformedToken = CryptoError(.malformedToken)
    public static let tokenTooLarge = CryptoError(.tokenTooLarge)
    public static let unknownKey = CryptoError(.unknownKey)
    public static let algorithmMismatch = CryptoError(.algorithmMismatch)
    public static let invalidSignature = CryptoError(.invalidSignature)
    public static let invalidClaims = CryptoError(.invalidClaims)
    public static let expired = CryptoError(.expired)
    public static let notYetValid = CryptoError(.notYetValid)
    public static let invalidIssuer = CryptoError(.invalidIssuer)
    public static let invalidAudience = CryptoError(.invalidAudience)
    public static let invalidCertificate = CryptoError(.invalidCertificate)
    public static let invalidArgument = CryptoError(.invalidArgument)
    public static let openSSLFailure = CryptoError(.openSSLFailure)
    public static let randomFailure = CryptoError(.randomFailure)

    public static func invalidKey(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.invalidKey, reason: reason, file: file, line: line) }
    public static func unsupportedKey(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.unsupportedKey, reason: reason, file: file, line: line) }
    public static func unsupportedAlgorithm(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.unsupportedAlgorithm, reason: reason, file: file, line: line) }
    public static func unsupportedHeader(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.unsupportedHeader, reason: reason, file: file, line: line) }
    public static func malformedToken(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.malformedToken, reason: reason, file: file, line: line) }
    public static func tokenTooLarge(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.tokenTooLarge, reason: reason, file: file, line: line) }
    public static func unknownKey(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.unknownKey, reason: reason, file: file, line: line) }
    public static func algorithmMismatch(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.algorithmMismatch, reason: reason, file: file, line: line) }
    public static func invalidSignature(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.invalidSignature, reason: reason, file: file, line: line) }
    public static func invalidClaims(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.invalidClaims, reason: reason, file: file, line: line) }
    public static func expired(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.expired, reason: reason, file: file, line: line) }
    public static func notYetValid(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.notYetValid, reason: reason, file: file, line: line) }
    public static func invalidIssuer(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.invalidIssuer, reason: reason, file: file, line: line) }
    public static func invalidAudience(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.invalidAudience, reason: reason, file: file, line: line) }
    public static func invalidCertificate(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.invalidCertificate, reason: reason, file: file, line: line) }
    public static func invalidArgument(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.invalidArgument, reason: reason, file: file, line: line) }
    public static func openSSLFailure(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.openSSLFailure, reason: reason, file: file, line: line) }
    public static func randomFailure(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError { CryptoError(.randomFailure, reason: reason, file: file, line: line) }
}
