import CKSTestSupport
import Foundation

/// The `cks` executable under test: beside the test bundle (the folder of CommandLine.arguments[0]), else
/// `.build/debug/cks` under the package root.
enum CKSBinary {
    static let path: String = Executables.cks.path

    /// True when this cks has `serve` (`cks serve --help` succeeds).
    static let hasServe = Task { await Spawn.succeeds(path, ["serve", "--help"]) }
}
