/// Go's `time.ParseDuration` syntax (`90s`, `1m30s`, `1.5h`, `500ms`), which `--timeout` and
/// `AZURE_CLI_TIMEOUT` use, and Go's `Duration.String()` for help text (`1m0s`).
public enum GoDuration {
    public static func parse(_ text: String) -> Duration? {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        if bytes.elementsEqual("0".utf8) { return .zero }
        guard !bytes.isEmpty else { return nil }
        var totalNanoseconds: Double = 0
        while !bytes.isEmpty {
            let numberEnd = bytes.firstIndex { !((48...57).contains($0) || $0 == UInt8(ascii: ".")) } ?? bytes.endIndex
            let number = String(decoding: bytes[bytes.startIndex..<numberEnd], as: UTF8.self)
            guard !number.isEmpty, number != ".", let value = Double(number.hasPrefix(".") ? "0" + number : number) else { return nil }
            bytes = bytes[numberEnd...]
            let unitEnd = bytes.firstIndex { (48...57).contains($0) || $0 == UInt8(ascii: ".") } ?? bytes.endIndex
            let unit = String(decoding: bytes[bytes.startIndex..<unitEnd], as: UTF8.self)
            bytes = bytes[unitEnd...]
            guard let scale = unitNanoseconds[unit] else { return nil }
            totalNanoseconds += value * scale
        }
        guard totalNanoseconds < 9.2e18 else { return nil }
        let nanoseconds = Int64(totalNanoseconds.rounded())
        return .nanoseconds(negative ? -nanoseconds : nanoseconds)
    }

    private static let unitNanoseconds: [String: Double] = [
        "ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9,
    ]

    /// Go's `Duration.String()` for whole-second values: `1m0s`, `1h0m0s`, `30s`, `0s`.
    public static func format(_ duration: Duration) -> String {
        var seconds = duration.components.seconds
        if seconds == 0 { return "0s" }
        let sign = seconds < 0 ? "-" : ""
        seconds = abs(seconds)
        let hours = seconds / 3600
        let minutes = seconds % 3600 / 60
        let rest = seconds % 60
        if hours > 0 { return "\(sign)\(hours)h\(minutes)m\(rest)s" }
        if minutes > 0 { return "\(sign)\(minutes)m\(rest)s" }
        return "\(sign)\(rest)s"
    }
}
