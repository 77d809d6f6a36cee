import Foundation
import Logging
import Synchronization

/// Records of the hot paths (the sign-in log, the audit events of every client-credentials
/// token and webhook denial), held in memory and written in batches: recording must not put a
/// store write on each request.
///
/// Bounded: while the store is down or cannot keep up, records beyond `capacity` are dropped
/// (and the count logged) rather than slowing or failing requests. ``run(every:sleep:)`` writes
/// what is pending at each tick; ``flush()`` writes everything now (shutdown, tests).
public final class WriteBehindBuffer<Record: Sendable>: Sendable {
    /// Writes one batch, all or nothing; throws `StoreError.alreadyExists` for a taken id.
    public typealias Writer = @Sendable ([Record]) async throws -> Void

    private let write: Writer
    private let capacity: Int
    private let batchSize: Int
    private let logger: Logger
    private let what: String
    /// The queue's depth and drops go to ``IssuerMetrics/logBuffer(_:depth:dropped:)`` under this name.
    private let metricsName: String
    private let metrics: IssuerMetrics
    private let state = Mutex(State())

    private struct State {
        var records: [Record] = []
        var dropped = 0
    }

    /// - Parameter what: names the records in log lines ("audit events", "sign-in records").
    public init(what: String, capacity: Int = 20_000, batchSize: Int = 500, logger: Logger,
                metrics: IssuerMetrics = .disabled, metricsName: String = "", write: @escaping Writer) {
        self.write = write
        self.metrics = metrics
        self.metricsName = metricsName
        self.capacity = capacity
        self.batchSize = batchSize
        self.logger = logger
        self.what = what
    }

    /// Queues a record; never blocks on the store.
    public func append(_ record: Record) {
        state.withLock { state in
            if state.records.count < capacity {
                state.records.append(record)
            } else {
                state.dropped += 1
            }
        }
    }

    /// Records waiting to be written.
    public var pendingCount: Int { state.withLock { $0.records.count } }

    /// Writes every pending record, in batches. When the store fails, the records not yet
    /// written go back to the queue (space permitting) for the next flush. Two flushes at once
    /// each write their own records; write order does not matter, logs are read by time.
    public func flush() async {
        defer { metrics.logBuffer(metricsName, depth: pendingCount) }
        let pending = takeAll()
        var written = 0
        while written < pending.count {
            let batch = Array(pending[written..<min(written + batchSize, pending.count)])
            do {
                try await write(batch)
            } catch let error as StoreError where error.code == .alreadyExists {
                await writeOneByOne(batch)
            } catch {
                logger.error("\(what) could not be stored; will retry", metadata: [
                    "pending": "\(pending.count - written)", "error": "\(error)"])
                putBack(Array(pending[written...]))
                return
            }
            written += batch.count
        }
    }

    /// Flushes every `interval` until the task is cancelled (or `sleep` throws), then once more.
    ///
    /// - Parameter sleep: waits between flushes; tests pass one they control.
    public func run(every interval: Duration = .seconds(1),
                    sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) async {
        while !Task.isCancelled {
            do {
                try await sleep(interval)
            } catch {
                break
            }
            await flush()
        }
        // The last flush runs outside this cancelled task: stores stop at cancellation.
        await Task { await self.flush() }.value
    }

    /// Empties the queue in one swap, so appends never wait behind a copy.
    private func takeAll() -> [Record] {
        let (records, dropped) = state.withLock { state -> ([Record], Int) in
            defer {
                state.records = []
                state.dropped = 0
            }
            return (state.records, state.dropped)
        }
        if dropped > 0 {
            logger.error("\(what) buffer full: records were dropped", metadata: ["dropped": "\(dropped)"])
        }
        metrics.logBufferDropped(metricsName, count: dropped)
        return records
    }

    private func putBack(_ records: [Record]) {
        state.withLock { state in
            let kept = records.prefix(max(0, capacity - state.records.count))
            state.dropped += records.count - kept.count
            state.records.insert(contentsOf: kept, at: 0)
        }
    }

    /// A batch refused for a duplicate id (a record already written by an earlier attempt whose
    /// reply was lost): write the rest one by one.
    private func writeOneByOne(_ batch: [Record]) async {
        for record in batch {
            do {
                try await write([record])
            } catch let error as StoreError where error.code == .alreadyExists {
                continue
            } catch {
                logger.error("\(what) could not be stored", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// The audit trail's batch writer.
public typealias AuditBuffer = WriteBehindBuffer<AuditEvent>

extension WriteBehindBuffer where Record == AuditEvent {
    public convenience init(store: any AuditEventStore, capacity: Int = 20_000, batchSize: Int = 500,
                            logger: Logger = Logger(label: "kubeid.audit"), metrics: IssuerMetrics = .disabled) {
        self.init(what: "audit events", capacity: capacity, batchSize: batchSize, logger: logger, metrics: metrics,
                  metricsName: "audit") { events in
            try await store.appendAuditEvents(events)
        }
    }
}
