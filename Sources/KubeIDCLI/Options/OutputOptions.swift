import ArgumentParser

/// `-o json|table|tsv` and `--query`, as `az` offers. JSON is the default so scripts can parse it.
struct OutputOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, table, tsv
    }

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: json (default), table or tsv.")
    var format: Format = .json

    @Option(help: ArgumentHelp("A dotted path into the result, e.g. aadProfile.adminGroupObjectIds or [0].name (a small subset of az's JMESPath).",
                               valueName: "PATH"))
    var query: String?
}
