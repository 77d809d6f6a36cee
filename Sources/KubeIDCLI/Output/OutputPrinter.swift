import Foundation
import OAuthProtocol

/// Prints command results as JSON (indented, members in `az`'s order), a table or TSV.
/// Tables and TSV take an object or an array of flat objects; nested values print as JSON.
enum OutputPrinter {
    /// Applies `--query` (if any), then prints in the chosen format. A scalar result prints as
    /// JSON (`"text"`) in json mode and bare in table and tsv modes, as az does.
    static func print(_ value: JSONValue, output: OutputOptions, tableRows: JSONValue? = nil) {
        var result = value
        if output.format == .table, output.query == nil, let tableRows {
            print(tableRows, format: .table)
            return
        }
        if let query = output.query {
            do {
                result = try OutputQuery(query).apply(to: value)
            } catch {
                FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                exit(1)
            }
        }
        switch (output.format, result) {
        case (.table, .string(let text)), (.tsv, .string(let text)):
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        default:
            print(result, format: output.format)
        }
    }

    static func print(_ value: JSONValue, format: OutputOptions.Format) {
        let text: String
        switch format {
        case .json: text = pretty(value, indent: 0)
        case .table: text = table(rows(of: value))
        case .tsv: text = rows(of: value).map { $0.map(\.1).joined(separator: "\t") }.joined(separator: "\n")
        }
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    private static func rows(of value: JSONValue) -> [[(String, String)]] {
        let items: [JSONValue]
        if case .array(let elements) = value { items = elements } else { items = [value] }
        return items.map { item in
            guard case .object(let members) = item else { return [("value", cell(item))] }
            return members.map { ($0.0, cell($0.1)) }
        }
    }

    private static func cell(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .null: return ""
        default: return value.jsonString
        }
    }

    private static func table(_ rows: [[(String, String)]]) -> String {
        guard let header = rows.first?.map(\.0) else { return "" }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.1.count)
            }
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        let titles = header.map { name in name.prefix(1).uppercased() + name.dropFirst() }
        var lines = [line(titles), line(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map { line($0.map(\.1)) }
        return lines.joined(separator: "\n")
    }

    private static func pretty(_ value: JSONValue, indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent + 1)
        let closing = String(repeating: "  ", count: indent)
        switch value {
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { pad + pretty($0, indent: indent + 1) }.joined(separator: ",\n") + "\n\(closing)]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { pad + JSONValue.string($0.0).jsonString + ": " + pretty($0.1, indent: indent + 1) }
                .joined(separator: ",\n") + "\n\(closing)}"
        default:
            return value.jsonString
        }
    }
}
