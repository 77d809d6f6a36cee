/// A command-line failure phrased for the user; printed as `Error: <message>`.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
