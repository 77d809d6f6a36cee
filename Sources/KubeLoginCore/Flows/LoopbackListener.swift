#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A one-shot HTTP listener on the loopback interface for the authorization-code redirect
/// (RFC 8252 §7.3).
///
/// - It binds `127.0.0.1`, and for a `localhost` redirect also `[::1]` on the same port: a
///   browser may resolve `localhost` to either, and a port we left free on `[::1]` could be
///   taken by another local user, who would then receive the code (RFC 8252 §8.3). Where the
///   machine has no IPv6 loopback, nobody can bind it, and IPv4 alone is enough.
/// - Every connection is read within ``LoopbackRequest``'s limits; a malformed request gets
///   its 4xx answer and the listener keeps waiting.
/// - A request to the redirect path counts only when it carries this sign-in's `state`
///   (RFC 6749 §10.12); anything else is refused with 400, so a forged redirect can neither
///   inject a code nor end the sign-in. Unrelated paths get 404.
/// - It stops after the first request that counts. Both shapes of the redirect are read: a GET
///   with the query (`response_mode=query`, what MSAL Go asks for) and a form POST
///   (`response_mode=form_post`).
final class LoopbackListener: Sendable {
    let port: Int
    /// Listening, non-blocking sockets: 127.0.0.1, then `[::1]` when bound.
    private let sockets: [Int32]

    /// Binds `127.0.0.1:port` (0 picks a free port) and, when `includingIPv6`, `[::1]` on the
    /// same port.
    init(port: Int, includingIPv6: Bool) throws {
        // With a free port chosen by the kernel for IPv4, IPv6 may hold that number already;
        // then another free port is tried.
        let attempts = port == 0 && includingIPv6 ? 8 : 1
        var lastFailure = ""
        for _ in 0..<attempts {
            let ipv4 = try Self.listen(family: AF_INET, port: port)
            guard includingIPv6 else {
                self.sockets = [ipv4.fd]
                self.port = ipv4.port
                return
            }
            do {
                let ipv6 = try Self.listen(family: AF_INET6, port: ipv4.port)
                self.sockets = [ipv4.fd, ipv6.fd]
                self.port = ipv4.port
                return
            } catch let failure as BindFailure where failure.code == EADDRNOTAVAIL || failure.code == EAFNOSUPPORT {
                self.sockets = [ipv4.fd]
                self.port = ipv4.port
                return
            } catch let failure as BindFailure {
                close(ipv4.fd)
                lastFailure = failure.message
            }
        }
        throw HTTPTransportError(lastFailure)
    }

    deinit { for socket in sockets { close(socket) } }

    /// The parameters of the first request to `path` that carries `state`, after answering it
    /// with `page(parameters)`. Waits in short slices so task cancellation (the `--timeout`
    /// deadline) ends the wait.
    func awaitRedirect(path: String, state: String, page: @Sendable ([String: String]) -> String) async throws -> [String: String] {
        var pollers = sockets.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        while true {
            try Task.checkCancellation()
            for index in pollers.indices { pollers[index].revents = 0 }
            if poll(&pollers, nfds_t(pollers.count), 100) <= 0 {
                await Task.yield()
                continue
            }
            for poller in pollers where poller.revents & Int16(POLLIN) != 0 {
                let connection = accept(poller.fd, nil, nil)
                guard connection >= 0 else { continue }
                if let parameters = answer(connection, path: path, state: state, page: page) { return parameters }
            }
        }
    }

    /// Reads and answers one connection; the redirect's parameters when it is the one awaited.
    private func answer(_ connection: Int32, path: String, state: String,
                        page: @Sendable ([String: String]) -> String) -> [String: String]? {
        defer { close(connection) }
        let request: LoopbackRequest
        do {
            request = try LoopbackRequest.read(from: connection)
        } catch {
            respond(connection, status: error.status, body: Self.page(error.reason))
            lingeringClose(connection)
            return nil
        }
        guard request.path == path else {
            respond(connection, status: "404 Not Found", body: Self.page("Not found."))
            return nil
        }
        guard let presented = request.parameters["state"], Self.equalInConstantTime(presented, state) else {
            respond(connection, status: "400 Bad Request",
                    body: Self.page("This response does not belong to the sign-in kubelogin is waiting for."))
            return nil
        }
        respond(connection, status: "200 OK", body: page(request.parameters))
        return request.parameters
    }

    private func respond(_ connection: Int32, status: String, body: String) {
        let bytes = Array(body.utf8)
        let head = "HTTP/1.1 \(status)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n"
        let message = Array(head.utf8) + bytes
        var offset = 0
        while offset < message.count {
            let sent = message.withUnsafeBytes { send(connection, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    /// After refusing a request we did not read to its end: stop sending, then discard what
    /// the client still sends (bounded), so closing with unread input does not reset the
    /// connection and lose the answer.
    private func lingeringClose(_ connection: Int32) {
        shutdown(connection, Int32(SHUT_WR))
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 8192)
        var discarded = 0
        let deadline = ContinuousClock.now + .seconds(1)
        while discarded < 1024 * 1024, ContinuousClock.now < deadline {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            discarded += count
        }
    }

    private static func page(_ text: String) -> String { "<html><body>\(text)</body></html>" }

    /// Compares without stopping at the first difference, so timing tells a local caller
    /// nothing about the expected `state`.
    private static func equalInConstantTime(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    private struct BindFailure: Error, CustomStringConvertible {
        var code: Int32
        var message: String
        var description: String { message }
    }

    /// A listening, non-blocking socket on the loopback address of `family`, and its port.
    private static func listen(family: Int32, port: Int) throws -> (fd: Int32, port: Int) {
        let name = family == AF_INET6 ? "[::1]:\(port)" : "127.0.0.1:\(port)"
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else {
            throw BindFailure(code: errno, message: "cannot create the loopback socket for \(name): \(String(cString: strerror(errno)))")
        }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var bound: Int32
        if family == AF_INET6 {
            // Only [::1]: without V6ONLY the socket would also claim IPv4 and clash with ours.
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &yes, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            address.sin6_addr = in6addr_loopback
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        if bound == 0 { bound = Glibc.listen(fd, 8) }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw BindFailure(code: code, message: "cannot listen on \(name): \(String(cString: strerror(code)))")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var actual = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let actualPort = withUnsafePointer(to: &actual) { pointer -> UInt16 in
            family == AF_INET6
                ? pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port }
                : pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
        }
        return (fd, Int(UInt16(bigEndian: actualPort)))
    }
}
