import Foundation

/// Durations as PIM's bodies carry them: ISO 8601 (`PT2H`, `P1DT30M`, `PT1H45M`) and the forms
/// msgraph-sdk-python writes for a `timedelta` (`2:00:00`, `1 day, 0:00:00`, `3 days, 4:05:06.5`).
/// Always written back as ISO 8601.
public enum PrivilegedAccessDuration {
    /// Seconds, or nil when `text` is neither form (or negative).
    public static func parse(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.uppercased().hasPrefix("P") { return parseISO8601(trimmed.uppercased()) }
        return parseTimedelta(trimmed)
    }

    /// `PnDTnHnMnS` (weeks `PnW` too; years and months are refused: their length is not fixed).
    static func parseISO8601(_ text: String) -> TimeInterval? {
        var rest = Substring(text.dropFirst())
        guard !rest.isEmpty else { return nil }
        var total: TimeInterval = 0
        var inTime = false
        var sawValue = false
        var number = ""
        while let character = rest.first {
            rest = rest.dropFirst()
            if character == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            if character.isNumber || character == "." || character == "," {
                number.append(character == "," ? "." : character)
                continue
            }
            guard let value = Double(number), value >= 0 else { return nil }
            number = ""
            sawValue = true
            switch (character, inTime) {
            case ("W", false): total += value * 7 * 86_400
            case ("D", false): total += value * 86_400
            case ("H", true): total += value * 3600
            case ("M", true): total += value * 60
            case ("S", true): total += value
            default: return nil
            }
        }
        return number.isEmpty && sawValue ? total : nil
    }

    /// Python's `str(timedelta)`: `[N day[s], ]H:MM:SS[.ffffff]`.
    static func parseTimedelta(_ text: String) -> TimeInterval? {
        var days: Double = 0
        var clock = Substring(text)
        if let comma = text.firstIndex(of: ",") {
            let dayPart = text[..<comma].split(separator: " ")
            guard dayPart.count == 2, dayPart[1] == "day" || dayPart[1] == "days", let count = Double(dayPart[0]),
                  count >= 0 else { return nil }
            days = count
            clock = text[text.index(after: comma)...].drop { $0 == " " }
        }
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, let hours = Double(fields[0]), let minutes = Double(fields[1]),
              let seconds = Double(fields[2]), hours >= 0, (0..<60).contains(minutes), (0..<60).contains(seconds) else {
            return nil
        }
        return days * 86_400 + hours * 3600 + minutes * 60 + seconds
    }

    /// ISO 8601 with days, hours, minutes and whole seconds: `PT2H`, `P1DT30M`, `PT0S`.
    public static func format(_ seconds: TimeInterval) -> String {
        var remaining = Int(seconds.rounded())
        let days = remaining / 86_400
        remaining %= 86_400
        let hours = remaining / 3600
        remaining %= 3600
        let minutes = remaining / 60
        let secs = remaining % 60
        var text = "P"
        if days > 0 { text += "\(days)D" }
        guard hours + minutes + secs > 0 else { return days > 0 ? text : "PT0S" }
        text += "T"
        if hours > 0 { text += "\(hours)H" }
        if minutes > 0 { text += "\(minutes)M" }
        if secs > 0 { text += "\(secs)S" }
        return text
    }
}
