import ArgumentParser

/// `-o json|table|tsv`, as `az` offers. JSON is the default so scripts can parse it.
struct OutputOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, table, tsv
    }

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: json (default), table or tsv.")
    var format: Format = .json
}
