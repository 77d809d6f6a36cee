import Foundation
import IdentityCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `<data-dir>/serve.lock`: an exclusive `flock` that `kubeid serve` on SQLite holds for its
/// whole life and `kubeid db restore` holds while it replaces the store, so a restore never
/// swaps the file under a running server (which would go on serving its old pages and write its
/// WAL into the new file) and two servers never share one data directory.
///
/// A `flock` belongs to the open file description: the kernel drops it when the process exits
/// however it exits (SIGKILL, a crash), so a stale lock file never blocks anything. The holder
/// writes its pid and role into the file, for the refusal message only.
final class ServeLock {
    enum Role: String {
        case serve
        case restore
    }

    let path: String
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { release() }

    static func path(in dataDirectory: DataDirectory) -> String { "\(dataDirectory.path)/serve.lock" }

    /// The lock `serve` takes: only with the SQLite store. Instances on one PostgreSQL database
    /// do not share a SQLite file, and restoring is PostgreSQL's own business there.
    static func forServe(_ options: StoreOptions, environment: [String: String]) throws -> ServeLock? {
        guard options.resolvedDatabaseURL(environment: environment) == nil else { return nil }
        return try acquire(DataDirectory(path: options.resolvedDataDirectory(environment: environment)), role: .serve)
    }

    /// Takes the lock without waiting; when another process holds it, fails with a message that
    /// names that process.
    static func acquire(_ dataDirectory: DataDirectory, role: Role) throws -> ServeLock {
        try dataDirectory.prepare()
        let path = path(in: dataDirectory)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw CLIError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let failure = errno
            let holder = Self.holder(descriptor)
            close(descriptor)
            guard failure == EWOULDBLOCK else {
                throw CLIError("cannot lock \(path): \(String(cString: strerror(failure)))")
            }
            throw CLIError(refusal(role: role, holder: holder, directory: dataDirectory.path))
        }
        let lock = ServeLock(path: path, descriptor: descriptor)
        lock.record(role)
        return lock
    }

    /// Gives the lock up (closing the descriptor drops the `flock`). Called at the end of
    /// `serve` and `restore`; safe to call twice.
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    /// `<pid> <role>` in place of whatever the last holder wrote.
    private func record(_ role: Role) {
        let text = Array("\(getpid()) \(role.rawValue)\n".utf8)
        guard ftruncate(descriptor, 0) == 0 else { return }
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    private static func holder(_ descriptor: Int32) -> (pid: String, role: Role?) {
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        let fields = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).split(separator: " ")
        let pid = fields.first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { Int($0) }
        let role = fields.dropFirst().first.flatMap { Role(rawValue: $0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return (pid.map(String.init) ?? "unknown", role)
    }

    private static func refusal(role: Role, holder: (pid: String, role: Role?), directory: String) -> String {
        let running = holder.role == .restore
            ? "a kubeid db restore is running on \(directory) (pid \(holder.pid))"
            : "a kubeid server is running on \(directory) (pid \(holder.pid))"
        switch role {
        case .serve: return "\(running); only one kubeid serve may use a data directory"
        case .restore: return "\(running); stop it before restoring"
        }
    }
}
