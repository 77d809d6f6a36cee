import Foundation

/// Durations on the command line: a number and a unit, `42d`, `48h`, `90m`, `30s` (a bare number
/// is seconds), as an operator writes them in a unit file.
enum DurationText {
    /// Seconds in `text`, or a ``CLIError`` naming `flag` and the accepted forms.
    static func seconds(_ text: String, flag: String) throws -> TimeInterval {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 7 * 86_400]
        var number = Substring(trimmed)
        var unit: TimeInterval = 1
        if let last = trimmed.last, let scale = units[last] {
            number = trimmed.dropLast()
            unit = scale
        }
        guard let value = Double(number), value.isFinite, value >= 0, !number.hasPrefix("+") else {
            throw CLIError("\(flag) must be a duration such as 42d, 48h, 90m or 30s (got \(text))")
        }
        return value * unit
    }
}
