import Foundation
import PackagePlugin

/// Compiles the text files under the package's `assets/` folder into the target as Swift string literals,
/// so the `cks` binary carries its demo world, catalogue and themes wherever it is copied.
@main
struct EmbedAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let assets = context.package.directoryURL.appending(path: "assets")
        let files = try embeddableFiles(under: assets)
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedAssetFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) asset files",
                executable: try context.tool(named: "EmbedAssetsTool").url,
                arguments: [output.path, assets.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            ),
        ]
    }

    private func embeddableFiles(under root: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        let textExtensions: Set<String> = ["json", "txt", "md"]
        return walker.compactMap { $0 as? URL }
            .filter { textExtensions.contains($0.pathExtension) }
            .sorted { $0.path < $1.path }
    }
}
