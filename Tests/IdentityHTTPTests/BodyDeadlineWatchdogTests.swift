@testable import IdentityHTTP
import Synchronization
import Testing

@Suite("Body deadline watchdog")
struct BodyDeadlineWatchdogTests {
    @Test func expiredDeadlinesRunTheirActionAndUnwatchedOnesDoNot() async throws {
        let watchdog = BodyDeadlineWatchdog(tick: .milliseconds(20))
        let fired = Mutex<Set<Int>>([])
        var watches: [BodyDeadlineWatchdog.Watch] = []
        for index in 0..<100 {
            watches.append(watchdog.watch(for: .milliseconds(50)) { fired.withLock { _ = $0.insert(index) } })
        }
        for index in stride(from: 0, to: 100, by: 2) { #expect(watchdog.unwatch(watches[index])) }
        for _ in 0..<200 where watchdog.pendingCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(watchdog.pendingCount == 0)
        #expect(fired.withLock { $0 } == Set(stride(from: 1, to: 100, by: 2)))
        #expect(!watchdog.unwatch(watches[1]), "an expired deadline reports that it fired")
    }

    @Test func theLoopStopsWhenIdleAndStartsAgainForTheNextDeadline() async throws {
        let watchdog = BodyDeadlineWatchdog(tick: .milliseconds(10))
        let count = Mutex(0)
        _ = watchdog.watch(for: .milliseconds(10)) { count.withLock { $0 += 1 } }
        for _ in 0..<200 where count.withLock({ $0 }) < 1 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(50))
        _ = watchdog.watch(for: .milliseconds(10)) { count.withLock { $0 += 1 } }
        for _ in 0..<200 where count.withLock({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(count.withLock { $0 } == 2)
    }

    @Test func aDeadlineThatIsStillAheadIsNotFired() async throws {
        let watchdog = BodyDeadlineWatchdog(tick: .milliseconds(10))
        let fired = Mutex(false)
        let watch = watchdog.watch(for: .seconds(30)) { fired.withLock { $0 = true } }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!fired.withLock { $0 })
        #expect(watchdog.unwatch(watch))
    }
}
