#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import KubeLoginCore

@Suite("file lock")
struct FileLockTests {
    /// `release()` may be called from `defer` and from `deinit` on different threads. If two
    /// callers both saw the descriptor open, the second `close` would hit whatever descriptor
    /// the process opened in between, here one of the `/dev/null` descriptors opened alongside.
    @Test("concurrent releases close the lock's descriptor exactly once")
    func concurrentRelease() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/lock"
        for _ in 0..<300 {
            let lock = try await FileLock.acquire(path: path, deadline: .now + .seconds(5))
            let opened = DescriptorList()
            DispatchQueue.concurrentPerform(iterations: 8) { index in
                if index % 2 == 0 {
                    lock.release()
                } else {
                    let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
                    if fd >= 0 { opened.append(fd) }
                }
            }
            let descriptors = opened.all
            let closedBehindOurBack = descriptors.filter { fcntl($0, F_GETFD) == -1 }
            for fd in descriptors where fcntl(fd, F_GETFD) != -1 { close(fd) }
            #expect(closedBehindOurBack.isEmpty)
            if !closedBehindOurBack.isEmpty { return }
        }
    }
}

private final class DescriptorList: @unchecked Sendable {
    private let lock = NSLock()
    private var descriptors: [Int32] = []
    func append(_ fd: Int32) { lock.withLock { descriptors.append(fd) } }
    var all: [Int32] { lock.withLock { descriptors } }
}
