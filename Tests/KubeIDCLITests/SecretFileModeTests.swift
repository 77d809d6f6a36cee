import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 13 item 8: private keys and other secret files are created with mode 0600 (and their
/// directories 0700) by the system call that creates them, never written with the umask's mode
/// and `chmod`-ed afterwards. The child runs under `umask 000`, so any file created with a
/// default mode would be world-readable; inotify reports every attribute change (`IN_ATTRIB`,
/// what a `chmod` after the fact produces), so a window cannot hide between two `stat`s.
@Suite("Secret files are private from their creation")
struct SecretFileModeTests {
    @Test func secretFilesAreCreatedPrivateUnderAnOpenUmask() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let data = kubeid.dataDirectory
        let output = kubeid.scratch.appendingPathComponent("certs").path
        #expect(mkdir(data, 0o700) == 0)
        #expect(mkdir(output, 0o700) == 0)
        let watcher = try Inotify()
        try watcher.watch(data)
        try watcher.watch(output)

        func run(_ arguments: [String]) async throws -> CLIResult {
            try await ProcessRunner.run("/bin/sh", ["-c", #"umask 000 && exec "$0" "$@""#, KubeID.binary]
                                        + arguments + ["--data-dir", data],
                                        environment: kubeid.environment, in: kubeid.scratch)
        }
        let tenant = try await run(["tenant", "create", "--name", "contoso"])
        try #require(tenant.status == 0, "\(tenant.stderr)")
        let sp = try await run(["sp", "create-for-rbac", "--tenant", "contoso", "--name", "cert",
                                "--create-cert", "--cert-output-dir", output])
        try #require(sp.status == 0, "\(sp.stderr)")

        let files = [data, output].flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).map { "\(directory)/\($0)" }
        }
        #expect(files.contains { $0.hasSuffix(".pem") })
        #expect(files.contains { $0.hasSuffix("/secret-hash.key") })
        for file in files {
            var status = stat()
            #expect(lstat(file, &status) == 0)
            #expect(status.st_mode & 0o077 == 0, "\(file) has mode \(String(status.st_mode & 0o777, radix: 8))")
        }
        let names = Set(files.map { URL(fileURLWithPath: $0).lastPathComponent })
        let changed = watcher.drain().filter { $0.mask & Inotify.attributeChanged != 0 && names.contains($0.name) }
        #expect(changed.isEmpty, "chmod-ed after creation: \(changed.map(\.name))")
    }
}

/// The few inotify(7) calls the test needs, looked up with `dlsym` (Glibc's module map does not
/// include `<sys/inotify.h>`).
final class Inotify {
    struct Event { let mask: UInt32; let name: String }
    static let attributeChanged: UInt32 = 0x0000_0004  // IN_ATTRIB
    private static let created: UInt32 = 0x0000_0100   // IN_CREATE
    private static let movedTo: UInt32 = 0x0000_0080   // IN_MOVED_TO

    private typealias Init = @convention(c) (Int32) -> Int32
    private typealias AddWatch = @convention(c) (Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private let descriptor: Int32
    private let addWatch: AddWatch

    init() throws {
        let handle = dlopen(nil, RTLD_NOW)
        guard let initSymbol = dlsym(handle, "inotify_init1"), let watchSymbol = dlsym(handle, "inotify_add_watch") else {
            throw POSIXError(.ENOSYS)
        }
        let initialise = unsafeBitCast(initSymbol, to: Init.self)
        addWatch = unsafeBitCast(watchSymbol, to: AddWatch.self)
        descriptor = initialise(Int32(O_NONBLOCK | O_CLOEXEC))
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    deinit { close(descriptor) }

    func watch(_ path: String) throws {
        guard addWatch(descriptor, path, Self.attributeChanged | Self.created | Self.movedTo) >= 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    /// Every event queued so far.
    func drain() -> [Event] {
        var events: [Event] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            while offset + 16 <= count {
                func word(_ at: Int) -> UInt32 {
                    UInt32(buffer[at]) | UInt32(buffer[at + 1]) << 8 | UInt32(buffer[at + 2]) << 16 | UInt32(buffer[at + 3]) << 24
                }
                let mask = word(offset + 4)
                let length = Int(word(offset + 12))
                let nameBytes = buffer[(offset + 16) ..< min(count, offset + 16 + length)].prefix { $0 != 0 }
                events.append(Event(mask: mask, name: String(decoding: nameBytes, as: UTF8.self)))
                offset += 16 + length
            }
        }
        return events
    }
}
