import Logging

/// The loop of the background services (garbage collection, key rotation): a pass now, then one
/// every `interval`, until the task is cancelled. A failed pass (database unreachable) is logged
/// as `failure` and the next one tries again; it never ends the loop.
enum RepeatingPass {
    /// - Parameter sleep: waits between passes; tests pass one that advances a manual clock.
    static func run(every interval: Duration, sleep: @Sendable (Duration) async throws -> Void,
                    logger: Logger, failure: Logger.Message, _ pass: () async throws -> Void) async {
        while !Task.isCancelled {
            do {
                try await pass()
            } catch is CancellationError {
                return
            } catch {
                logger.warning(failure, metadata: ["error": "\(error)"])
            }
            do {
                try await sleep(interval)
            } catch {
                return
            }
        }
    }
}
