import Foundation

/// The `cks` executable under test: beside the test bundle (the folder of CommandLine.arguments[0]), else
/// `.build/debug/cks` under the package root.
enum CKSBinary {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let path: String = {
        var folders: [URL] = []
        if let first = CommandLine.arguments.first, !first.isEmpty {
            folders.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        for folder in folders {
            let candidate = folder.appending(path: "cks").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return packageRoot.appending(path: ".build/debug/cks").path
    }()

    /// True when this cks has `serve` (`cks serve --help` succeeds).
    static let hasServe: Bool = {
        guard FileManager.default.isExecutableFile(atPath: path) else { return false }
        return (try? Spawn.runWithStatus(path, ["serve", "--help"], capture: false).status) == 0
    }()
}
