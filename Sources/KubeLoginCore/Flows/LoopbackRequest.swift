#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import OAuthProtocol

/// One HTTP/1.1 request read from a loopback connection, within fixed limits.
///
/// Anything on the machine can connect to the listener, so nothing it sends is trusted: the
/// head and the body are bounded, `Content-Length` must be a plain decimal number within the
/// body limit, and the whole read has a deadline. A request that breaks a rule is answered
/// with its status (RFC 9110 §15.5) and never read further.
struct LoopbackRequest: Sendable, Equatable {
    static let maximumHeadBytes = 16 * 1024
    /// A form_post redirect carries the code, state and perhaps an id token: a few KiB.
    static let maximumBodyBytes = 64 * 1024
    /// For the whole request, so a client that sends a byte at a time cannot hold the listener.
    static let readDeadline = Duration.seconds(5)

    /// Why a request was not accepted, as the status line and a short text for the body.
    struct Refusal: Error, Sendable, Equatable {
        var status: String
        var reason: String

        static func badRequest(_ reason: String) -> Refusal { Refusal(status: "400 Bad Request", reason: reason) }
        static let headTooLarge = Refusal(status: "431 Request Header Fields Too Large", reason: "The request head is too large.")
        static let bodyTooLarge = Refusal(status: "413 Content Too Large", reason: "The request body is too large.")
        static let methodNotAllowed = Refusal(status: "405 Method Not Allowed", reason: "Only GET and POST are answered here.")
    }

    var method: String
    var path: String
    /// The query's parameters, and for a POST the form body's (which win).
    var parameters: [String: String]

    /// Reads and parses one request from `connection` (a blocking socket).
    static func read(from connection: Int32) throws(Refusal) -> LoopbackRequest {
        let deadline = ContinuousClock.now + readDeadline
        var data: [UInt8] = []
        var headEnd: Int? = nil
        while headEnd == nil {
            guard data.count <= maximumHeadBytes else { throw .headTooLarge }
            guard receive(into: &data, from: connection, upTo: maximumHeadBytes + 4 - data.count, before: deadline) else {
                throw .badRequest("The request ended before its head did.")
            }
            headEnd = endOfHead(in: data)
        }
        guard let headEnd, headEnd <= maximumHeadBytes else { throw .headTooLarge }

        let lines = String(decoding: data[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1."), requestLine[1].hasPrefix("/") else {
            throw .badRequest("The request line is not HTTP/1.x.")
        }
        let method = String(requestLine[0])
        guard method == "GET" || method == "POST" else { throw .methodNotAllowed }
        let contentLength = try bodyLength(headerLines: lines.dropFirst())

        let target = requestLine[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var parameters: [String: String] = [:]
        if target.count > 1 {
            guard let pairs = FormURLEncoding.decode(target[1]) else { throw .badRequest("The query string is not form-encoded.") }
            for (name, value) in pairs { parameters[name] = value }
        }
        if method == "POST" {
            let bodyStart = headEnd + 4
            while data.count < bodyStart + contentLength {
                guard receive(into: &data, from: connection, upTo: bodyStart + contentLength - data.count, before: deadline) else {
                    throw .badRequest("The request ended before its body did.")
                }
            }
            guard let pairs = FormURLEncoding.decode(bytes: Array(data[bodyStart..<(bodyStart + contentLength)])) else {
                throw .badRequest("The body is not form-encoded.")
            }
            for (name, value) in pairs { parameters[name] = value }
        }
        return LoopbackRequest(method: method, path: String(target[0]), parameters: parameters)
    }

    /// The declared body length: 0 when absent; only digits, every copy equal, within the limit.
    private static func bodyLength(headerLines: ArraySlice<String>) throws(Refusal) -> Int {
        var length: Int? = nil
        for line in headerLines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw .badRequest("A header line has no colon.") }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "transfer-encoding" { throw .badRequest("Transfer-Encoding is not accepted here.") }
            guard name == "content-length" else { continue }
            guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw .badRequest("Content-Length is not a number.")
            }
            // Digits only, so a failed conversion means the value overflows Int: too large.
            guard let parsed = Int(value), parsed <= maximumBodyBytes else { throw .bodyTooLarge }
            if let length, length != parsed { throw .badRequest("Content-Length is given twice with different values.") }
            length = parsed
        }
        return length ?? 0
    }

    /// Appends at most `limit` bytes; false when the peer closed, failed, or the deadline passed.
    private static func receive(into data: inout [UInt8], from connection: Int32, upTo limit: Int,
                                before deadline: ContinuousClock.Instant) -> Bool {
        let remaining = deadline - ContinuousClock.now
        guard limit > 0, remaining > .zero else { return false }
        let (seconds, attoseconds) = remaining.components
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000) + 1)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: min(limit, 8192))
        while true {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            data.append(contentsOf: buffer[0..<count])
            return true
        }
    }

    /// The offset of the CRLF CRLF that ends the head, if it has arrived.
    private static func endOfHead(in data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for start in 0...(data.count - 4)
        where data[start] == 13 && data[start + 1] == 10 && data[start + 2] == 13 && data[start + 3] == 10 {
            return start
        }
        return nil
    }
}
