import Hummingbird
import IdentityCore

/// Drops this process's directory cache after a request that may have written the directory
/// (a Graph write, a `/pim` activation), so the caller's next `kubectl` sees the change at once
/// rather than up to the cache's staleness later. Writes from other processes (the CLI, another
/// instance) still reach the cache through its version check (``DirectoryView``).
///
/// Token and webhook requests never invalidate: they are the hot path the cache is for.
struct DirectoryWriteMiddleware<Context: RequestContext>: RouterMiddleware {
    let directory: DirectoryView

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.mayWrite(request) else { return try await next(request, context) }
        defer { directory.invalidate() }
        return try await next(request, context)
    }

    static func mayWrite(_ request: Request) -> Bool {
        guard request.method != .get, request.method != .head else { return false }
        let path = request.uri.path
        if path.hasSuffix("/getMemberObjects") || path.hasSuffix("/getMemberGroups") { return false }
        return path.hasPrefix("/v1.0/") || path == "/pim" || path.hasPrefix("/pim/")
    }
}
