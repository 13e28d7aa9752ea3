import Foundation

/// Programs the tests run: the `cks` built next to the test bundle, and others found on PATH.
public enum Executables {
    /// The package root, from this file's place in Tests/Support.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `cks` beside the test bundle (`.build/<config>/`), or nil when there is none.
    public static let builtCKS: URL? = {
        var folders: [URL] = []
        if let first = CommandLine.arguments.first, !first.isEmpty {
            folders.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        return folders.map { $0.appending(path: "cks") }.first { isExecutableFile($0.path) }
    }()

    /// `cks` beside the test bundle, else `.build/debug/cks` under the package root.
    public static let cks: URL = builtCKS ?? packageRoot.appending(path: ".build/debug/cks")

    /// The first `name` on PATH that is an executable file.
    public static func onPath(_ name: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first(where: isExecutableFile)
    }

    /// True for an executable file (not a folder).
    public static func isExecutableFile(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}
