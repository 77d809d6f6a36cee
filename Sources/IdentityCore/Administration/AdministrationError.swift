/// A directory-administration request that cannot be carried out, phrased for the operator
/// (the CLI prints it as `Error: <message>`).
public struct AdministrationError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable {
        fileprivate let name: String
        public static let notFound = Code(name: "notFound")
        public static let alreadyExists = Code(name: "alreadyExists")
        public static let invalidArgument = Code(name: "invalidArgument")
        /// The request is well-formed but the object's settings forbid it (e.g. an admin
        /// credential for a cluster with local accounts disabled).
        public static let notAllowed = Code(name: "notAllowed")
    }

    public let code: Code
    public let message: String
    /// The property the error is about, named as the directory names it (`displayName`,
    /// `userPrincipalName`), so each front end can point at its own spelling of it (a CLI flag,
    /// a Graph body property).
    public let field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public static func notFound(_ message: String) -> AdministrationError { .init(.notFound, message) }
    public static func alreadyExists(_ message: String) -> AdministrationError { .init(.alreadyExists, message) }
    public static func invalidArgument(_ message: String) -> AdministrationError { .init(.invalidArgument, message) }
    public static func notAllowed(_ message: String) -> AdministrationError { .init(.notAllowed, message) }

    public static func == (lhs: AdministrationError, rhs: AdministrationError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
    public var description: String { message }
}
