import ArgumentParser

/// `--format text|json`, for every command that prints records: one option group, one help text.
struct OutputOptions: ParsableArguments {
    @Option(help: "text for people, json for scripts.") var format: OutputFormat = .text
}

/// How a command prints records.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
