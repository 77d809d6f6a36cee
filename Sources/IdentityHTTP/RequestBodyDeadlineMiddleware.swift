import Hummingbird

/// Collects a request body within `timeout` of its head, so a client trickling one byte per
/// idle period cannot hold a connection (and the handler) for hours. Past the deadline the
/// answer is 408 and the connection is closed.
///
/// The deadline is kept by one shared ``BodyDeadlineWatchdog`` rather than a sleeping task per
/// request: a `Task.sleep` cancelled because the body arrived first is never freed on Linux
/// (about 75 bytes per POST, measured with heaptrack under `Benchmarks/memory.sh`).
struct RequestBodyDeadlineMiddleware<Context: RequestContext>: RouterMiddleware {
    let timeout: Duration
    let watchdog: BodyDeadlineWatchdog
    /// Larger than any route's own cap (64 KiB), which still applies.
    static var maximumBodySize: Int { 1024 * 1024 }

    init(timeout: Duration, watchdog: BodyDeadlineWatchdog = BodyDeadlineWatchdog()) {
        self.timeout = timeout
        self.watchdog = watchdog
    }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post || request.method == .put || request.method == .patch else {
            return try await next(request, context)
        }
        let body = request.body
        let collection = Task { try await body.collect(upTo: Self.maximumBodySize) }
        let watch = watchdog.watch(for: timeout) { collection.cancel() }
        let collected: ByteBuffer
        do {
            collected = try await withTaskCancellationHandler {
                try await collection.value
            } onCancel: {
                collection.cancel()
            }
            watchdog.unwatch(watch)
        } catch {
            let expired = !watchdog.unwatch(watch)
            if Task.isCancelled { throw CancellationError() }
            return Response(status: expired ? .requestTimeout : .contentTooLarge, headers: [.connection: "close"])
        }
        var request = request
        request.body = RequestBody(buffer: collected)
        return try await next(request, context)
    }
}
