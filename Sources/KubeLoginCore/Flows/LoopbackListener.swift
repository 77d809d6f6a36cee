#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A one-shot HTTP listener on 127.0.0.1 for the authorization-code redirect (RFC 8252 §7.3).
///
/// It binds the loopback address only, answers unrelated paths with 404 and keeps waiting, and
/// stops after the first request to the redirect path, whatever it carries (SECURITY.md item
/// 44). Both shapes of the redirect are read: a GET with the query (`response_mode=query`,
/// what MSAL Go asks for) and a form POST (`response_mode=form_post`).
final class LoopbackListener: @unchecked Sendable {
    let port: Int
    private let socket: Int32

    /// Binds `127.0.0.1:port` (0 picks a free port).
    init(port: Int) throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPTransportError("cannot create the loopback socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw HTTPTransportError("cannot listen on 127.0.0.1:\(port): \(reason)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.socket = fd
        self.port = Int(UInt16(bigEndian: actual.sin_port))
    }

    deinit { close(socket) }

    /// The parameters of the first request to `path`, after answering it with `page(parameters)`.
    /// Waits in short slices so task cancellation (the `--timeout` deadline) ends the wait.
    func awaitRedirect(path: String, page: @Sendable ([String: String]) -> String) async throws -> [String: String] {
        while true {
            try Task.checkCancellation()
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            if ready <= 0 {
                await Task.yield()
                continue
            }
            let connection = accept(socket, nil, nil)
            guard connection >= 0 else { continue }
            defer { close(connection) }
            guard let request = readRequest(connection) else { continue }
            guard request.path == path else {
                respond(connection, status: "404 Not Found", body: "Not found")
                continue
            }
            respond(connection, status: "200 OK", body: page(request.parameters))
            return request.parameters
        }
    }

    private struct Request {
        var path: String
        var parameters: [String: String]
    }

    private func readRequest(_ connection: Int32) -> Request? {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        var headerEnd: Int? = nil
        var contentLength = 0
        while data.count < 256 * 1024 {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            data.append(contentsOf: buffer[0..<count])
            if headerEnd == nil, let end = Self.find([13, 10, 13, 10], in: data) {
                headerEnd = end + 4
                let head = String(decoding: data[0..<end], as: UTF8.self).lowercased()
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if let headerEnd, data.count >= headerEnd + contentLength { break }
        }
        guard let headerEnd else { return nil }
        let head = String(decoding: data[0..<headerEnd], as: UTF8.self)
        let requestLine = head.split(separator: "\r\n").first ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count >= 2 else { return nil }
        let target = parts[1]
        let pathPart = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var parameters: [String: String] = [:]
        if pathPart.count > 1 {
            for (name, value) in FormBody.decode(pathPart[1]) { parameters[name] = value }
        }
        if parts[0] == "POST" {
            let body = String(decoding: data[headerEnd..<min(data.count, headerEnd + contentLength)], as: UTF8.self)
            for (name, value) in FormBody.decode(body) { parameters[name] = value }
        }
        return Request(path: String(pathPart[0]), parameters: parameters)
    }

    private func respond(_ connection: Int32, status: String, body: String) {
        let bytes = Array(body.utf8)
        let head = "HTTP/1.1 \(status)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n"
        let message = Array(head.utf8) + bytes
        _ = message.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
