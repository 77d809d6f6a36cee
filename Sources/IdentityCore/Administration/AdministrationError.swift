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
    /// What went wrong, with the properties it names kept apart (see ``AdministrationMessage``).
    public let text: AdministrationMessage
    /// The property the error is about, named as the directory names it (`displayName`,
    /// `userPrincipalName`), so each front end can point at its own spelling of it (a CLI flag,
    /// a Graph body property): the one given, or the first the text names.
    public let field: String?

    public init(_ code: Code, _ text: AdministrationMessage, field: String? = nil) {
        self.code = code
        self.text = text
        self.field = field ?? text.fields.first
    }

    /// The text with every property under its own name.
    public var message: String { text.rendered() }

    public static func notFound(_ text: AdministrationMessage) -> AdministrationError { .init(.notFound, text) }
    public static func alreadyExists(_ text: AdministrationMessage) -> AdministrationError { .init(.alreadyExists, text) }
    public static func invalidArgument(_ text: AdministrationMessage) -> AdministrationError { .init(.invalidArgument, text) }
    public static func notAllowed(_ text: AdministrationMessage) -> AdministrationError { .init(.notAllowed, text) }

    public static func == (lhs: AdministrationError, rhs: AdministrationError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
    public var description: String { message }
}
