import Foundation

/// The files of the package's `assets/` folder, compiled into the binary.
public enum Assets {
    /// The text of `assets/<path>`, or nil when there is no such file.
    public static func text(_ path: String) -> String? {
        EmbeddedAssetFiles.texts[path]
    }

    /// The bytes of `assets/<path>`, or nil when there is no such file.
    public static func data(_ path: String) -> Data? {
        text(path).map { Data($0.utf8) }
    }

    /// Every embedded path, sorted.
    public static var paths: [String] {
        EmbeddedAssetFiles.texts.keys.sorted()
    }
}
