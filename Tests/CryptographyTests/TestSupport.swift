import Cryptography
import Foundation

/// Keys generated once per test process (RSA generation is slow in debug builds).
enum TestKeys {
    static let rsa = try! PrivateKey.generateRSA()
    static let otherRSA = try! PrivateKey.generateRSA()
    static let p256 = try! PrivateKey.generateP256()
}

/// Runs /usr/bin/openssl and returns stdout; a non-zero exit is a test failure.
@discardableResult
func openssl(_ arguments: [String], input: [UInt8]? = nil, in directory: URL) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    let inputPipe = Pipe()
    if input != nil { process.standardInput = inputPipe }
    try process.run()
    if let input {
        inputPipe.fileHandleForWriting.write(Data(input))
        try inputPipe.fileHandleForWriting.close()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw NSError(domain: "openssl", code: Int(process.terminationStatus), userInfo: [NSLocalizedDescriptionKey: arguments.joined(separator: " ")])
    }
    return Array(data)
}

func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cryptotests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Builds `header.payload.signature` from raw JSON and signature bytes, for hostile tokens.
func compactToken(header: String, payload: String, signature: [UInt8]) -> String {
    Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8)) + "." + Base64URL.encode(signature)
}

/// Claims valid for the next hour, as JSON bytes.
func freshClaims(now: Date = Date(), extra: String = "") -> [UInt8] {
    let t = Int(now.timeIntervalSince1970)
    return Array(#"{"aud":"kubernetes","exp":\#(t + 3600),"iat":\#(t),"iss":"https://127.0.0.1:8443/tenant1","sub":"user-1"\#(extra)}"#.utf8)
}

/// A resolver over an in-memory map, the only kind of key lookup a verifier should do.
func resolver(_ keys: [VerificationKey]) -> @Sendable (JOSEHeader) -> VerificationKey? {
    let byID = Dictionary(uniqueKeysWithValues: keys.map { ($0.keyID, $0) })
    return { header in header.keyID.flatMap { byID[$0] } }
}
