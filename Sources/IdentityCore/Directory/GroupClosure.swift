import Foundation

/// A member's transitive groups at one instant, and when that answer stops holding.
public struct GroupClosure: Sendable, Hashable {
    public var groupIDs: [String]
    /// The earliest end of a time-bound edge the answer relies on: a token carrying these
    /// groups must not outlive it.
    public var earliestEnd: Date?
    /// The earliest start of a future edge from a group on the way: the answer grows then.
    public var nextStart: Date?

    public init(groupIDs: [String], earliestEnd: Date? = nil, nextStart: Date? = nil) {
        self.groupIDs = groupIDs
        self.earliestEnd = earliestEnd
        self.nextStart = nextStart
    }

    /// The first instant at which the answer may differ.
    public var changesAt: Date? {
        switch (earliestEnd, nextStart) {
        case let (end?, start?): return min(end, start)
        case let (end, start): return end ?? start
        }
    }
}
