import Hummingbird
import NIOCore

/// Per-request state: Hummingbird's core storage plus the caller's address, which throttling
/// and (later) the `ipaddr` claim need.
public struct IdentityRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address as text, or "unknown" (in-process tests have no socket).
    public let remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
