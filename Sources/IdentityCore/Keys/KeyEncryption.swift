import Cryptography
import Foundation

/// Envelope encryption of private keys at rest (signing keys, clusters' local-account CA keys).
///
/// Each record gets its own random data key (AES-256-GCM); the data key is sealed under a
/// key-encryption key (KEK) kept outside the database (a file beside the secret-hashing key, or
/// `KUBEID_KEY_ENCRYPTION_KEY`), so a copy of the database alone holds no usable private key.
/// The stored text describes itself:
///
/// ```
/// kubeid-sealed:v1:<kek id>:<base64url(sealed data key)>:<base64url(sealed PEM)>
/// ```
///
/// Both seals authenticate `kubeid-sealed:v1:<kek id>:<context>`, where the context names the
/// record (`signing-key/<kid>`, `cluster-ca/<tenant>/<cluster object id>`), so a sealed key
/// cannot be swapped into another record. A KEK's id is `kek-` and the first 12 hex digits of
/// its SHA-256, so ids need no bookkeeping. Text that is still a PEM (written before encryption
/// existed) is read as is; `kubeid keys rewrap` seals it.
public struct KeyEncryption: Sendable {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    static let prefix = "kubeid-sealed:v1:"

    /// The KEK new records are sealed under.
    public let currentKeyID: String
    private let keys: [String: [UInt8]]

    /// - Parameter keys: the current KEK first, then older ones still accepted for reading.
    public init(keys: [[UInt8]]) throws {
        guard let first = keys.first else { throw Failure(description: "no key-encryption key given") }
        var table: [String: [UInt8]] = [:]
        for key in keys {
            guard key.count == AESGCM.keyLength else {
                throw Failure(description: "a key-encryption key must be 32 bytes (base64 of 32 random bytes)")
            }
            table[Self.keyID(of: key)] = key
        }
        self.currentKeyID = Self.keyID(of: first)
        self.keys = table
    }

    /// Parses a key file or environment value: one base64 key per line (blank lines and `#`
    /// comments ignored), the current key first.
    public init(text: String, source: String) throws {
        var keys: [[UInt8]] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let key = Base64.decode(trimmed), key.count == AESGCM.keyLength else {
                throw Failure(description: "\(source) is not a valid key-encryption key file (one base64 32-byte key per line)")
            }
            keys.append(key)
        }
        guard !keys.isEmpty else { throw Failure(description: "\(source) holds no key-encryption key") }
        try self.init(keys: keys)
    }

    public static func keyID(of key: [UInt8]) -> String {
        "kek-" + Digest.sha256(key).prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    public var keyIDs: Set<String> { Set(keys.keys) }

    /// True when `stored` is a sealed key (rather than a legacy PEM).
    public static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(prefix) }

    /// The KEK id a sealed text names; nil for a PEM.
    public static func keyID(ofSealed stored: String) -> String? {
        guard isSealed(stored) else { return nil }
        return stored.dropFirst(prefix.count).split(separator: ":", maxSplits: 1).first.map(String.init)
    }

    /// Seals `pem` under the current KEK for the record `context`.
    public func seal(_ pem: String, context: String) throws -> String {
        let kek = keys[currentKeyID]!
        let associated = Array("\(Self.prefix)\(currentKeyID):\(context)".utf8)
        let dataKey = AESGCM.makeKey()
        let sealedKey = try AESGCM.seal(dataKey, key: kek, authenticating: associated)
        let sealedPEM = try AESGCM.seal(Array(pem.utf8), key: dataKey, authenticating: associated)
        return "\(Self.prefix)\(currentKeyID):\(Base64URL.encode(sealedKey)):\(Base64URL.encode(sealedPEM))"
    }

    /// The PEM of a stored private key: opened when sealed, as is when it is a legacy PEM.
    public func open(_ stored: String, context: String) throws -> String {
        guard Self.isSealed(stored) else { return stored }
        let parts = stored.dropFirst(Self.prefix.count).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let sealedKey = Base64URL.decode(parts[1]), let sealedPEM = Base64URL.decode(parts[2]) else {
            throw Failure(description: "a stored private key (\(context)) is damaged")
        }
        let keyID = String(parts[0])
        guard let kek = keys[keyID] else {
            throw Failure(description: "the private key \(context) is sealed under key-encryption key \(keyID), which is not configured")
        }
        let associated = Array("\(Self.prefix)\(keyID):\(context)".utf8)
        do {
            let dataKey = try AESGCM.open(sealedKey, key: kek, authenticating: associated)
            return String(decoding: try AESGCM.open(sealedPEM, key: dataKey, authenticating: associated), as: UTF8.self)
        } catch {
            throw Failure(description: "the private key \(context) cannot be opened with key-encryption key \(keyID) (changed or moved record)")
        }
    }

    /// `stored` sealed under the current KEK; nil when it already is.
    public func rewrap(_ stored: String, context: String) throws -> String? {
        if Self.keyID(ofSealed: stored) == currentKeyID { return nil }
        return try seal(try open(stored, context: context), context: context)
    }

    /// Without a KEK (tests, or an installation that has none yet) keys are stored as PEM; a
    /// sealed one cannot be read.
    public static func openWithout(_ stored: String, context: String) throws -> String {
        guard isSealed(stored) else { return stored }
        throw Failure(description: "the private key \(context) is sealed under key-encryption key \(keyID(ofSealed: stored) ?? "?"), and no key-encryption key is configured")
    }

    static func signingKeyContext(_ keyID: String) -> String { "signing-key/\(keyID)" }
    static func clusterCAContext(tenantID: String, clusterObjectID: String) -> String {
        "cluster-ca/\(tenantID)/\(clusterObjectID)"
    }
}

extension Optional where Wrapped == KeyEncryption {
    func seal(_ pem: String, context: String) throws -> String {
        switch self {
        case .some(let encryption): try encryption.seal(pem, context: context)
        case .none: pem
        }
    }

    func open(_ stored: String, context: String) throws -> String {
        switch self {
        case .some(let encryption): try encryption.open(stored, context: context)
        case .none: try KeyEncryption.openWithout(stored, context: context)
        }
    }
}
