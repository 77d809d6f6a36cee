import ServiceLifecycle

/// A background loop of `serve` (garbage collection, a log writer, key rotation) as a
/// `ServiceGroup` service.
///
/// The loops retry their own failures (a store outage is logged and the next pass tries again),
/// so they return only when cancelled. On graceful shutdown the loop is cancelled and waited for,
/// so a log writer writes its last batch before the process exits. A loop that returns while
/// nothing asked it to stop is a defect: it throws, and the group shuts down with that error
/// instead of running on without, say, its garbage collector.
struct BackgroundService: Service, CustomStringConvertible {
    let description: String
    let body: @Sendable () async -> Void

    init(_ name: String, _ body: @escaping @Sendable () async -> Void) {
        self.description = name
        self.body = body
    }

    func run() async throws {
        let body = body
        await cancelWhenGracefulShutdown { await body() }
        if !Task.isCancelled && !Task.isShuttingDownGracefully {
            throw CLIError("the \(description) stopped unexpectedly")
        }
    }

    /// The group entry for this service: ending or failing shuts the whole group down gracefully
    /// (the HTTP server drains), and the error, if any, reaches `serve`'s exit status.
    var configuration: ServiceGroupConfiguration.ServiceConfiguration {
        .init(service: self, successTerminationBehavior: .gracefullyShutdownGroup,
              failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: description)
    }
}
