#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock(2)` on a file, held for the length of a closure: how several kubeid
/// processes (`serve` and admin commands a provisioning script starts together) take turns at a
/// create-if-missing step such as a migration or the local TLS material. The kernel drops the
/// lock when its holder dies, however it dies, so a crashed process never leaves it stuck.
///
/// Lock a file of its own, never the file being protected: closing any descriptor of a SQLite
/// database would drop SQLite's POSIX locks in this process.
public enum CrossProcessLock {
    /// Runs `body` holding an exclusive lock on `path` (created 0600 if missing); waits as long as
    /// another process holds it.
    public static func withExclusiveLock<T>(on path: String, _ body: () throws -> T) throws -> T {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw PrivateFile.Failure("cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw PrivateFile.Failure("cannot lock \(path): \(String(cString: strerror(errno)))")
            }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
