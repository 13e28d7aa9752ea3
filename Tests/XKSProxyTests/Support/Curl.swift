import CKSTestSupport
import Foundation

/// curl as an outside client: it signs with its own `--aws-sigv4` (content-type;host;x-amz-date).
struct Curl {
    static let path = Executables.onPath("curl")

    struct Result {
        var exit: Int32
        var status: Int
        var body: String

        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]) ?? [:] }
        var errorName: String? { json["errorName"] as? String }
    }

    var port: Int
    var caPath: String
    var accessKeyId: String
    var secret: String
    var extra: [String] = []

    func post(_ path: String, _ body: String, accessKeyId: String? = nil, secret: String? = nil) async throws -> Result {
        try await run([
            "--cacert", caPath, "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body,
            "--aws-sigv4", "aws:amz:us-east-1:kms-xks-proxy", "--user", "\(accessKeyId ?? self.accessKeyId):\(secret ?? self.secret)",
            "https://localhost:\(port)\(path)",
        ])
    }

    func post(_ path: String, _ object: [String: Any]) async throws -> Result {
        try await post(path, String(decoding: XKSBodies.data(object), as: UTF8.self))
    }

    func run(_ arguments: [String]) async throws -> Result {
        let process = try ChildProcess(Curl.path!, ["-sS", "--max-time", "60", "-w", "\n%{http_code}"] + extra + arguments,
                                       environment: ProcessInfo.processInfo.environment)
        let outcome = try await process.finish(bound: .seconds(90))
        var lines = outcome.stdout.components(separatedBy: "\n")
        let status = Int(lines.popLast() ?? "") ?? 0
        return Result(exit: outcome.exit.code, status: status, body: lines.joined(separator: "\n"))
    }
}
