import Foundation
import Logging
import Synchronization

/// Audit events of the hot paths (every client-credentials token, every webhook decision), held
/// in memory and written in batches: auditing must not put a store write on each request.
///
/// Bounded: while the store is down or cannot keep up, events beyond `capacity` are dropped
/// (and the count logged) rather than slowing or failing requests. ``run(every:)`` writes what
/// is pending at each tick; ``flush()`` writes everything now (shutdown, tests).
public final class AuditBuffer: Sendable {
    private let store: any AuditEventStore
    private let capacity: Int
    private let batchSize: Int
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var events: [AuditEvent] = []
        var dropped = 0
    }

    public init(store: any AuditEventStore, capacity: Int = 20_000, batchSize: Int = 500,
                logger: Logger = Logger(label: "kubeid.audit")) {
        self.store = store
        self.capacity = capacity
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Queues an event; never blocks on the store.
    public func append(_ event: AuditEvent) {
        state.withLock { state in
            if state.events.count < capacity {
                state.events.append(event)
            } else {
                state.dropped += 1
            }
        }
    }

    /// Events waiting to be written.
    public var pendingCount: Int { state.withLock { $0.events.count } }

    /// Writes every pending event, in batches. When the store fails, the events not yet
    /// written go back to the queue (space permitting) for the next flush. Two flushes at once
    /// each write their own events; write order does not matter, the trail is read by time.
    public func flush() async {
        let pending = takeAll()
        var written = 0
        while written < pending.count {
            let batch = Array(pending[written..<min(written + batchSize, pending.count)])
            do {
                try await store.appendAuditEvents(batch)
            } catch let error as StoreError where error.code == .alreadyExists {
                await writeOneByOne(batch)
            } catch {
                logger.error("audit events could not be stored; will retry", metadata: [
                    "pending": "\(pending.count - written)", "error": "\(error)"])
                putBack(Array(pending[written...]))
                return
            }
            written += batch.count
        }
    }

    /// Flushes every `interval` until the task is cancelled, then once more.
    public func run(every interval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            await flush()
        }
        // The last flush runs outside this cancelled task: stores stop at cancellation.
        await Task { await self.flush() }.value
    }

    /// Empties the queue in one swap, so appends never wait behind a copy.
    private func takeAll() -> [AuditEvent] {
        let (events, dropped) = state.withLock { state -> ([AuditEvent], Int) in
            defer {
                state.events = []
                state.dropped = 0
            }
            return (state.events, state.dropped)
        }
        if dropped > 0 {
            logger.error("audit buffer full: events were dropped", metadata: ["dropped": "\(dropped)"])
        }
        return events
    }

    private func putBack(_ events: [AuditEvent]) {
        state.withLock { state in
            let kept = events.prefix(max(0, capacity - state.events.count))
            state.dropped += events.count - kept.count
            state.events.insert(contentsOf: kept, at: 0)
        }
    }

    /// A batch refused for a duplicate id (an event already written by an earlier attempt whose
    /// reply was lost): write the rest one by one.
    private func writeOneByOne(_ batch: [AuditEvent]) async {
        for event in batch {
            do {
                try await store.appendAuditEvent(event)
            } catch let error as StoreError where error.code == .alreadyExists {
                continue
            } catch {
                logger.error("audit event could not be stored", metadata: ["kind": "\(event.kind)", "error": "\(error)"])
            }
        }
    }
}
