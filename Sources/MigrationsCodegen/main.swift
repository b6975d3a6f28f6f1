import Foundation

// Usage: MigrationsCodegen OUTPUT.swift migrations/0001_x.sql ...
// Writes `embeddedMigrations`: (file name, SQL text) pairs in file-name order.
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: MigrationsCodegen OUTPUT FILE...\n".utf8))
    exit(2)
}
var lines = [
    "// Generated from migrations/*.sql by MigrationsPlugin. Do not edit.",
    "let embeddedMigrations: [(name: String, sql: String)] = [",
]
for path in arguments.dropFirst().sorted() {
    let url = URL(fileURLWithPath: path)
    let sql = try String(contentsOf: url, encoding: .utf8)
    // A raw string with enough '#' that no SQL text can close it early.
    var hashes = "#"
    while sql.contains("\"" + hashes) { hashes += "#" }
    lines.append("    (name: \"\(url.lastPathComponent)\", sql: \(hashes)\"\"\"")
    lines.append(sql.hasSuffix("\n") ? String(sql.dropLast()) : sql)
    lines.append("\"\"\"\(hashes)),")
}
lines.append("]")
try (lines.joined(separator: "\n") + "\n").write(toFile: output, atomically: true, encoding: .utf8)
