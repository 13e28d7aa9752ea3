import CKSTestSupport
import Foundation

/// A world of its own (CKS_HOME and HOME in a temporary folder) served by a real `cks serve` on a free port,
/// with the credentials it was told to accept. Runs `cks` against it as a user would.
final class ServeWorld: Sendable {
    static let accessKeyId = "AKIDCKSAWSTESTS"
    static let secretAccessKey = "awsbackend-tests-secret"

    let home: TempHome
    let serve: ChildProcess
    /// `http://127.0.0.1:<port>`, from the banner.
    let url: String
    /// The world's Region, from the banner.
    let region: String

    private init(home: TempHome, serve: ChildProcess, url: String, region: String) {
        self.home = home
        self.serve = serve
        self.url = url
        self.region = region
    }

    var worldFolder: String { home.path + "/world" }

    /// Starts `cks serve --port 0 --credentials …` (or `--no-auth`, for clients whose keys STS makes up) and waits
    /// (at most 60 s) for its banner.
    static func start(pace: String = "instant", authenticated: Bool = true) async throws -> ServeWorld {
        let home = try TempHome()
        let environment = baseEnvironment(home: home, pace: pace)
        let authentication = authenticated ? ["--credentials", "\(accessKeyId):\(secretAccessKey)"] : ["--no-auth"]
        let serve = try ChildProcess(CKSBinary.path, ["serve", "--port", "0"] + authentication,
                                     environment: environment, watched: true, stopsWhenDropped: true)
        return try await poll("the cks serve banner") { () throws -> ServeWorld? in
            let banner = serve.stdout
            if let url = banner.firstMatch(of: /KMS endpoint on (http:\/\/[0-9.]+:[0-9]+)/)?.1,
               let region = banner.firstMatch(of: /AWS_DEFAULT_REGION=([a-z0-9-]+)/)?.1 {
                return ServeWorld(home: home, serve: serve, url: String(url), region: String(region))
            }
            guard serve.isRunning else { throw TimedOut(what: "the cks serve banner, but it ended: \(serve.stdout) \(serve.stderr)") }
            return nil
        }
    }

    static func baseEnvironment(home: TempHome, pace: String) -> [String: String] {
        [
            "HOME": home.path, "CKS_HOME": home.path + "/world", "CKS_PACE": pace,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "NO_COLOR": "1",
        ]
    }

    /// The environment of a `cks --backend aws` user: the served credentials and Region, a home of its own.
    func environment(_ changes: [String: String?] = [:]) -> [String: String] {
        var environment = Self.baseEnvironment(home: home, pace: "instant")
        environment["AWS_ACCESS_KEY_ID"] = Self.accessKeyId
        environment["AWS_SECRET_ACCESS_KEY"] = Self.secretAccessKey
        environment["AWS_REGION"] = region
        for (name, value) in changes { environment[name] = value }
        return environment
    }

    /// `cks <arguments> --backend aws --endpoint-url <url>`.
    func aws(_ arguments: String..., environment changes: [String: String?] = [:]) async throws -> CommandResult {
        try await ChildProcess.run(CKSBinary.path, arguments + ["--backend", "aws", "--endpoint-url", url],
                                   environment: environment(changes))
    }

    /// `cks <arguments>` on the embedded simulator, same world (to set things up or compare).
    func simulator(_ arguments: String...) async throws -> CommandResult {
        try await ChildProcess.run(CKSBinary.path, arguments, environment: environment())
    }

    /// The JSON a successful command printed.
    func json(_ result: CommandResult) throws -> [String: Any] {
        guard result.status == 0,
              let object = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] else {
            throw UnexpectedOutput(result: result)
        }
        return object
    }
}

/// A command that did not succeed with the output a test needs.
struct UnexpectedOutput: Error, CustomStringConvertible {
    var result: CommandResult
    var description: String { "unexpected output:\n\(result)" }
}
