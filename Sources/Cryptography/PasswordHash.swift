import COpenSSL

/// User-password hashing with scrypt (RFC 7914) through OpenSSL, stored as a PHC-like string
/// `$scrypt$ln=17,r=8,p=1$<base64 salt>$<base64 hash>` (standard base64 without padding).
///
/// The cost parameters live in the stored string, so verification always uses the cost the
/// hash was made with and operators can raise the cost later: old hashes keep verifying and
/// ``needsRehash(_:)`` tells when to replace one after a successful sign-in.
///
/// OWASP's 2024 recommendation is N = 2^17, r = 8, p = 1 (128 MiB, about 0.3-0.5 s on one core),
/// which is the default. Tests pass a cheaper ``Parameters`` value.
public enum PasswordHash {
    public struct Parameters: Sendable, Hashable {
        /// log2 of the CPU/memory cost N.
        public var logN: Int
        /// Block size.
        public var r: Int
        /// Parallelism.
        public var p: Int

        public init(logN: Int, r: Int = 8, p: Int = 1) {
            self.logN = logN
            self.r = r
            self.p = p
        }

        /// OWASP: N = 2^17, r = 8, p = 1.
        public static let owasp = Parameters(logN: 17, r: 8, p: 1)
        /// For tests only: 2^10 (1 MiB), a few milliseconds.
        public static let testing = Parameters(logN: 10, r: 8, p: 1)

        /// Memory scrypt needs: 128·r·(N + p + 2) bytes.
        var memoryBytes: UInt64 { 128 * UInt64(r) * ((UInt64(1) << UInt64(logN)) + UInt64(p) + 2) }

        /// Bounds that keep a hostile or corrupt stored string from asking for gigabytes.
        var isAcceptable: Bool { (10...22).contains(logN) && (1...32).contains(r) && (1...16).contains(p) && memoryBytes <= 1 << 31 }
    }

    static let saltLength = 16
    static let hashLength = 32

    /// Hashes `password` with a fresh 16-byte salt.
    public static func make(_ password: String, parameters: Parameters = .owasp) throws -> String {
        let salt = SecureRandom.bytes(saltLength)
        let hash = try scrypt(Array(password.utf8), salt: salt, parameters: parameters, length: hashLength)
        return "$scrypt$ln=\(parameters.logN),r=\(parameters.r),p=\(parameters.p)$\(encode(salt))$\(encode(hash))"
    }

    /// True when `password` hashes to `stored` under the parameters `stored` names. A malformed
    /// stored string is `false`, never a crash; comparison is constant-time.
    public static func verify(_ password: String, stored: String) -> Bool {
        guard let parsed = parse(stored),
              let computed = try? scrypt(Array(password.utf8), salt: parsed.salt, parameters: parsed.parameters,
                                         length: parsed.hash.count) else { return false }
        return constantTimeEquals(computed, parsed.hash)
    }

    /// True when `stored` was made with other (older) parameters than `current`, or is unreadable.
    public static func needsRehash(_ stored: String, current: Parameters) -> Bool {
        parse(stored)?.parameters != current
    }

    /// The parameters a stored string names, or nil when it is not a kubeid scrypt hash.
    public static func parameters(of stored: String) -> Parameters? { parse(stored)?.parameters }

    // MARK: Private

    private static func parse(_ stored: String) -> (parameters: Parameters, salt: [UInt8], hash: [UInt8])? {
        let fields = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else { return nil }
        var values: [String: Int] = [:]
        for pair in fields[2].split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let number = Int(parts[1]) else { return nil }
            values[String(parts[0])] = number
        }
        guard let logN = values["ln"], let r = values["r"], let p = values["p"], values.count == 3,
              let salt = decode(fields[3]), let hash = decode(fields[4]),
              salt.count >= 4, (16...64).contains(hash.count) else { return nil }
        let parameters = Parameters(logN: logN, r: r, p: p)
        guard parameters.isAcceptable else { return nil }
        return (parameters, salt, hash)
    }

    private static func scrypt(_ password: [UInt8], salt: [UInt8], parameters: Parameters, length: Int) throws -> [UInt8] {
        guard parameters.isAcceptable else { throw CryptoError.invalidArgument("scrypt parameters out of bounds") }
        var out = [UInt8](repeating: 0, count: length)
        let maximumMemory = parameters.memoryBytes + 1024 * 1024
        let ok = password.withUnsafeBytes { passwordBytes in
            salt.withUnsafeBytes { saltBytes in
                // OpenSSL treats a NULL password as the empty one.
                EVP_PBE_scrypt(passwordBytes.bindMemory(to: CChar.self).baseAddress, password.count,
                               saltBytes.bindMemory(to: UInt8.self).baseAddress, salt.count,
                               UInt64(1) << UInt64(parameters.logN), UInt64(parameters.r), UInt64(parameters.p),
                               maximumMemory, &out, length)
            }
        }
        guard ok == 1 else { throw OpenSSL.failure("EVP_PBE_scrypt") }
        return out
    }

    /// Standard base64 without padding (the PHC string format's encoding).
    private static func encode(_ bytes: [UInt8]) -> String {
        var text = Base64.encode(bytes)
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    private static func decode(_ text: Substring) -> [UInt8]? {
        let padded = String(text) + String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Base64.decode(padded, ignoringWhitespace: false)
    }
}
