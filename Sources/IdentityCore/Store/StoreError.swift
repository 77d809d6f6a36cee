/// What a store reports when an operation cannot complete.
///
/// An extensible struct rather than an enum, so new codes never break callers. Equality and
/// hashing use the code only, so tests can write `#expect(throws: StoreError.notFound)`.
public struct StoreError: Error, Hashable, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String { case notFound, alreadyExists, conflict, unavailable, invalidData }
        fileprivate let value: Value
        /// The object asked for does not exist.
        public static let notFound = Code(value: .notFound)
        /// An object with the same identity (or unique name) exists already.
        public static let alreadyExists = Code(value: .alreadyExists)
        /// A compare-and-swap lost: the stored value is not the one the caller expected.
        public static let conflict = Code(value: .conflict)
        /// The database could not be reached or failed; the operation may succeed later.
        public static let unavailable = Code(value: .unavailable)
        /// Stored data could not be decoded (corruption or a newer schema).
        public static let invalidData = Code(value: .invalidData)
        public var description: String { value.rawValue }
    }

    public let code: Code
    public let reason: String
    public let file: String
    public let line: Int

    public init(_ code: Code, _ reason: String = "", file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public static let notFound = StoreError(.notFound)
    public static let alreadyExists = StoreError(.alreadyExists)
    public static let conflict = StoreError(.conflict)
    public static let unavailable = StoreError(.unavailable)
    public static let invalidData = StoreError(.invalidData)

    public static func notFound(_ reason: String, file: String = #fileID, line: Int = #line) -> StoreError {
        StoreError(.notFound, reason, file: file, line: line)
    }
    public static func alreadyExists(_ reason: String, file: String = #fileID, line: Int = #line) -> StoreError {
        StoreError(.alreadyExists, reason, file: file, line: line)
    }
    public static func conflict(_ reason: String, file: String = #fileID, line: Int = #line) -> StoreError {
        StoreError(.conflict, reason, file: file, line: line)
    }
    public static func unavailable(_ reason: String, file: String = #fileID, line: Int = #line) -> StoreError {
        StoreError(.unavailable, reason, file: file, line: line)
    }
    public static func invalidData(_ reason: String, file: String = #fileID, line: Int = #line) -> StoreError {
        StoreError(.invalidData, reason, file: file, line: line)
    }

    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String {
        reason.isEmpty ? "store: \(code)" : "store: \(code): \(reason)"
    }
}
