@testable import KubeIDCLI
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// `serve`'s background loops in its service group: what SIGTERM and a loop that dies do.
@Suite("Background services of serve")
struct BackgroundServiceTests {
    @Test(.timeLimit(.minutes(1)))
    func gracefulShutdownCancelsTheLoopAndWaitsForItsLastBatch() async throws {
        let flushed = Mutex(false)
        let writer = BackgroundService("log writer") {
            // Like the log writers: loop until cancelled, then write what is left.
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
            try? await Task.sleep(for: .milliseconds(50))
            flushed.withLock { $0 = true }
        }
        let group = ServiceGroup(configuration: .init(services: [writer.configuration], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(100))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(flushed.withLock { $0 })
    }

    @Test(.timeLimit(.minutes(1)))
    func aLoopThatEndsOnItsOwnStopsTheGroupWithAnError() async throws {
        let serverStopped = Mutex(false)
        let dying = BackgroundService("garbage collector") {}
        let server = BackgroundService("stand-in server") {
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
            serverStopped.withLock { $0 = true }
        }
        let group = ServiceGroup(configuration: .init(services: [dying.configuration, server.configuration],
                                                      logger: Logger(label: "test")))
        let error = await #expect(throws: CLIError.self) { try await group.run() }
        #expect(error?.message == "the garbage collector stopped unexpectedly")
        // The other services were shut down, not left running.
        #expect(serverStopped.withLock { $0 })
    }
}
