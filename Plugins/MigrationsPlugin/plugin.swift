import Foundation
import PackagePlugin

/// Generates `Migrations.generated.swift` from the package's top-level `migrations/*.sql`,
/// so the schema travels inside the binary and `migrations/` stays its only source.
@main
struct MigrationsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "migrations")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        let inputs = names.map { directory.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "Migrations.generated.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(names.count) migrations",
                executable: try context.tool(named: "MigrationsCodegen").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs + [directory],
                outputFiles: [output]
            )
        ]
    }
}
