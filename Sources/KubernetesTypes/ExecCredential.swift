/// The `client.authentication.k8s.io` versions an exec plugin may answer with.
public enum ExecCredentialAPIVersion: String, Sendable, CaseIterable {
    case v1 = "client.authentication.k8s.io/v1"
    case v1beta1 = "client.authentication.k8s.io/v1beta1"
}

/// The ExecCredential an exec plugin prints on stdout for kubectl.
///
/// Serialised exactly as Go's `json.Encoder` writes the k8s type: one compact line, fields in the
/// struct's order (`kind`, `apiVersion`, `spec`, `status`), `spec.interactive` always false,
/// `expirationTimestamp` in RFC 3339 UTC with whole seconds and `Z`, and a trailing newline.
public struct ExecCredential: Sendable, Equatable {
    public var apiVersion: ExecCredentialAPIVersion
    public var token: String
    /// Seconds since 1970 of the token's expiry.
    public var expirationTimestamp: Int64

    public init(apiVersion: ExecCredentialAPIVersion, token: String, expirationTimestamp: Int64) {
        self.apiVersion = apiVersion
        self.token = token
        self.expirationTimestamp = expirationTimestamp
    }

    /// The line kubectl reads, including the final `\n`.
    public var jsonLine: String {
        var out = #"{"kind":"ExecCredential","apiVersion":"#
        GoJSON.appendString(apiVersion.rawValue, to: &out)
        out += #","spec":{"interactive":false},"status":{"expirationTimestamp":"#
        GoJSON.appendString(RFC3339.utcSeconds(expirationTimestamp), to: &out)
        out += #","token":"#
        GoJSON.appendString(token, to: &out)
        out += "}}\n"
        return out
    }
}

/// String quoting as Go's `encoding/json` does it (HTML-safe: `<`, `>`, `&` become `\u003c` …).
public enum GoJSON {
    public static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hex4(scalar.value)
            default:
                if scalar.value < 0x20 { out += "\\u" + hex4(scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// RFC 3339 timestamps without a date formatter (ICU costs about a millisecond at start-up).
public enum RFC3339 {
    /// `YYYY-MM-DDTHH:MM:SSZ` for `seconds` since 1970 (proleptic Gregorian, UTC).
    public static func utcSeconds(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil-from-days (Howard Hinnant's algorithm), valid for every Int64 day count we meet.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(year)
        let paddedYear = String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText
        return "\(paddedYear)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))Z"
    }
}
