import Foundation

/// Files under the test bundle's `Vectors` folder.
enum Vectors {
    static let root: URL = Bundle.module.url(forResource: "Vectors", withExtension: nil)!

    static func url(_ relativePath: String) -> URL {
        root.appending(path: relativePath)
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }
}
