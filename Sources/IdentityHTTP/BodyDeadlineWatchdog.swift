import Synchronization

/// Deadlines for request bodies, checked by one loop that wakes every `tick` while any are
/// pending and stops when none are. Expiry runs the action registered with the deadline.
///
/// A deadline may fire up to one `tick` late; for a 20-second body limit that is noise.
final class BodyDeadlineWatchdog: Sendable {
    struct Watch: Sendable, Hashable {
        fileprivate let id: UInt64
    }

    private struct Pending {
        var deadline: ContinuousClock.Instant
        var onExpiry: @Sendable () -> Void
    }

    private struct State {
        var pending: [UInt64: Pending] = [:]
        var nextID: UInt64 = 0
        var ticking = false
    }

    private let state = Mutex(State())
    private let tick: Duration

    init(tick: Duration = .milliseconds(250)) {
        self.tick = tick
    }

    /// Runs `onExpiry` once `timeout` has passed unless ``unwatch(_:)`` comes first.
    func watch(for timeout: Duration, onExpiry: @escaping @Sendable () -> Void) -> Watch {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let (id, startLoop) = state.withLock { state -> (UInt64, Bool) in
            state.nextID &+= 1
            state.pending[state.nextID] = Pending(deadline: deadline, onExpiry: onExpiry)
            let start = !state.ticking
            state.ticking = true
            return (state.nextID, start)
        }
        if startLoop { Task { await self.runLoop() } }
        return Watch(id: id)
    }

    /// Forgets the deadline. Returns false when it had already expired (its action has run).
    @discardableResult
    func unwatch(_ watch: Watch) -> Bool {
        state.withLock { $0.pending.removeValue(forKey: watch.id) != nil }
    }

    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Sleeps run to completion (never cancelled), so nothing is left behind per tick.
    private func runLoop() async {
        while true {
            try? await Task.sleep(for: tick)
            let now = ContinuousClock.now
            let (expired, stop) = state.withLock { state -> ([Pending], Bool) in
                let due = state.pending.filter { $0.value.deadline <= now }
                for key in due.keys { state.pending.removeValue(forKey: key) }
                if state.pending.isEmpty { state.ticking = false }
                return (Array(due.values), state.pending.isEmpty)
            }
            for pending in expired { pending.onExpiry() }
            if stop { return }
        }
    }
}
