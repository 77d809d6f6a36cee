#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// An exclusive cross-process lock on a file (`flock(2)`), held across read → sign-in or
/// refresh → write so parallel kubectl runs cause one sign-in, not twenty.
///
/// Stale locks recover by themselves: the kernel drops a `flock` when its holder dies, however
/// it dies (even `kill -9`), so the next run proceeds at once. A holder that hangs is bounded
/// by its own `--timeout`; waiters give up at their deadline.
///
/// `release()` runs from `defer` and again from `deinit`, possibly on different threads; the
/// descriptor sits in a `Mutex` so exactly one caller takes and closes it (a second `close`
/// would close whatever descriptor the process had opened in between).
public final class FileLock: Sendable {
    public let path: String
    /// The locked descriptor, -1 once released.
    private let descriptor: Mutex<Int32>

    private init(path: String, fd: Int32) {
        self.path = path
        self.descriptor = Mutex(fd)
    }

    deinit { release() }

    /// Waits for the lock until `deadline`, polling (so task cancellation ends the wait too).
    public static func acquire(path: String, deadline: ContinuousClock.Instant) async throws -> FileLock {
        // O_NOFOLLOW: a link planted here would make us create or lock a file elsewhere.
        guard let fd = try CacheOwnership.open(path, flags: O_RDWR | O_CREAT | O_NOFOLLOW, mode: 0o600, kind: .regularFile,
                                               shownPath: path, what: "token cache lock") else {
            throw KubeLoginError("cannot open the token cache lock \(path): \(String(cString: strerror(ENOENT)))")
        }
        var pause = Duration.milliseconds(5)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EWOULDBLOCK || reason == EINTR else {
                close(fd)
                throw KubeLoginError("cannot lock \(path): \(String(cString: strerror(reason)))")
            }
            guard ContinuousClock.now < deadline else {
                close(fd)
                throw KubeLoginError("timed out waiting for another kubelogin holding \(path)")
            }
            do {
                try await Task.sleep(for: pause)
            } catch {
                close(fd)
                throw error
            }
            pause = min(pause * 2, .milliseconds(50))
        }
        return FileLock(path: path, fd: fd)
    }

    public func release() {
        let fd = descriptor.withLock { fd in
            defer { fd = -1 }
            return fd
        }
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
    }
}
