import AWSBackend
import Foundation

/// A home folder of its own for one test, with `~/.aws/config` and `~/.aws/credentials` as given; removed
/// when dropped. Nothing reads the real home.
final class TempHome: Sendable {
    let path: String

    init(config: String? = nil, credentials: String? = nil) throws {
        path = FileManager.default.temporaryDirectory.appending(path: "cks-awstests-\(UUID().uuidString.prefix(12))").path
        try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
        if let config { try write(".aws/config", config) }
        if let credentials { try write(".aws/credentials", credentials) }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes a file under the home folder; `executable` makes it a script. The file is written through a
    /// descriptor closed on exec, so a process that another test spawns meanwhile does not keep it open for
    /// writing (which makes running the script fail with "Text file busy").
    @discardableResult
    func write(_ relativePath: String, _ text: String, executable: Bool = false) throws -> String {
        let full = path + "/" + relativePath
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let descriptor = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, executable ? 0o755 : 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: full]) }
        defer { close(descriptor) }
        if executable { fchmod(descriptor, 0o755) }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Foundation.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: full])
        }
        return full
    }

    /// An environment with only this home, PATH, and `variables`. The instance metadata service is off (tests
    /// never reach past loopback) unless `variables` sets `AWS_EC2_METADATA_DISABLED` (empty: unset).
    func environment(_ variables: [String: String] = [:]) -> AWSEnvironment {
        var all = ["HOME": path, "PATH": "/usr/local/bin:/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true"]
        for (name, value) in variables { all[name] = value }
        return AWSEnvironment(variables: all, homeDirectory: path)
    }
}
