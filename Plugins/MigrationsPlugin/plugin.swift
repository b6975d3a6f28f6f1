import Foundation
import PackagePlugin

/// Embeds top-level text files into a target as Swift string literals, so the binary carries
/// them and works from any directory: `migrations/*.sql` into PledgerStore (the only schema
/// source); into PledgerHTTP, `docs/*.yaml` (the OpenAPI description it serves) and `web/*`
/// (the reader's box, its stylesheet and the page templates).
@main
struct MigrationsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let embeddings: [(folder: String, suffixes: [String], variable: String)] =
            target.name == "PledgerHTTP"
            ? [("docs", [".yaml"], "embeddedDocuments"), ("web", [".js", ".css", ".mustache"], "embeddedWebAssets")]
            : [("migrations", [".sql"], "embeddedMigrations")]
        return try embeddings.map { folder, suffixes, variable in
            let directory = context.package.directoryURL.appending(path: folder)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { name in suffixes.contains { name.hasSuffix($0) } }
                .sorted()
            let inputs = names.map { directory.appending(path: $0) }
            let output = context.pluginWorkDirectoryURL.appending(path: "\(variable).generated.swift")
            return .buildCommand(
                displayName: "Embedding \(names.count) files of \(folder)/ into \(target.name)",
                executable: try context.tool(named: "MigrationsCodegen").url,
                arguments: [output.path, variable] + inputs.map(\.path),
                inputFiles: inputs + [directory],
                outputFiles: [output]
            )
        }
    }
}
