import Foundation
import Hummingbird
import IdentityHTTP
import IdentityTesting
import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 13 item 5: a connection that sends nothing (or stops halfway through its headers) is
/// closed after the idle timeout instead of staying open for good.
@Suite("Server connection limits")
struct ServerLimitsTests {
    static func freePort() throws -> Int {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, length) == 0 && getsockname(probe, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Connects, optionally sends `prefix`, then waits up to `wait` seconds for the server to close.
    static func secondsUntilClosed(port: Int, sending prefix: String, wait: Double) throws -> Double? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var connected = false
        for _ in 0..<50 where !connected {
            connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            if !connected { usleep(100_000) }
        }
        guard connected else { throw POSIXError(.ECONNREFUSED) }
        if !prefix.isEmpty { _ = prefix.withCString { send(descriptor, $0, strlen($0), 0) } }
        let start = Date()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date().timeIntervalSince(start) < wait {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) >= 0 else { break }
            if poller.revents != 0 {
                let count = recv(descriptor, &buffer, buffer.count, 0)
                if count <= 0 { return Date().timeIntervalSince(start) }
            }
        }
        return nil
    }

    /// Sends a request head, then one body byte every `interval` seconds (well inside the idle
    /// timeout) until the server answers; returns the seconds that took and the status line.
    static func trickleBody(port: Int, interval: Double, wait: Double) throws -> (seconds: Double, statusLine: String)? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var connected = false
        for _ in 0..<50 where !connected {
            connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            if !connected { usleep(100_000) }
        }
        guard connected else { throw POSIXError(.ECONNREFUSED) }
        let head = "POST /contoso/oauth2/v2.0/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
        _ = head.withCString { send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        let start = Date()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date().timeIntervalSince(start) < wait {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(interval * 1000)) >= 0 else { break }
            if poller.revents != 0 {
                let count = recv(descriptor, &buffer, buffer.count, 0)
                guard count > 0 else { return (Date().timeIntervalSince(start), "") }
                let text = String(decoding: buffer[0..<count], as: UTF8.self)
                return (Date().timeIntervalSince(start), String(text.split(whereSeparator: \.isNewline).first ?? ""))
            }
            _ = "a".withCString { send(descriptor, $0, 1, Int32(MSG_NOSIGNAL)) }
        }
        return nil
    }

    /// Blocking socket work on its own thread, not on the cooperative pool other tests share.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    @Test func aSilentConnectionIsClosedAfterTheIdleTimeout() async throws {
        let harness = try await SignInHTTPHarness.make()
        let port = try Self.freePort()
        let application = IdentityServer.makePlainApplication(
            issuer: harness.test.issuer, host: "127.0.0.1", port: port,
            limits: .init(idleTimeout: .seconds(1), bodyTimeout: .seconds(1)), logger: Logger(label: "test"))
        let server = Task { try await application.runService() }
        defer { server.cancel() }
        let silent = try await Self.onThread { try Self.secondsUntilClosed(port: port, sending: "", wait: 8) }
        #expect(silent != nil, "a silent connection must be closed")
        let halfHeaders = try await Self.onThread {
            try Self.secondsUntilClosed(port: port, sending: "GET /healthz HTTP/1.1\r\nHost: x\r\n", wait: 8)
        }
        #expect(halfHeaders != nil, "a connection stuck in its headers must be closed")
        let halfBody = try await Self.onThread {
            try Self.secondsUntilClosed(
                port: port, sending: "POST /contoso/oauth2/v2.0/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant", wait: 8)
        }
        #expect(halfBody != nil, "a connection stuck in its body must be closed")
    }

    /// A body that keeps arriving, one byte at a time and faster than the idle timeout, is cut
    /// off at the body deadline with 408 rather than holding the handler.
    @Test func aTricklingBodyGets408AtTheBodyDeadline() async throws {
        let harness = try await SignInHTTPHarness.make()
        let port = try Self.freePort()
        let application = IdentityServer.makePlainApplication(
            issuer: harness.test.issuer, host: "127.0.0.1", port: port,
            limits: .init(idleTimeout: .seconds(3), bodyTimeout: .seconds(1)), logger: Logger(label: "test"))
        let server = Task { try await application.runService() }
        defer { server.cancel() }
        let answer = try await Self.onThread { try Self.trickleBody(port: port, interval: 0.2, wait: 10) }
        let (seconds, statusLine) = try #require(answer, "a trickled body must be answered")
        #expect(statusLine == "HTTP/1.1 408 Request Timeout")
        #expect(seconds >= 0.9 && seconds < 2.9, "answered after \(seconds) s; the body deadline is 1 s")
    }
}
