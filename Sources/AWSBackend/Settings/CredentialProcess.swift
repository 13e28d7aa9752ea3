import Foundation
import SigV4

/// A profile's `credential_process`: a command whose standard output is credentials as JSON (Version 1).
public struct CredentialProcess: Sendable, Hashable {
    public var command: String
    public var profile: String

    public init(command: String, profile: String) {
        self.command = command
        self.profile = profile
    }

    /// Credentials from the process, and when they expire (nil: never).
    public struct Output: Sendable, Hashable {
        public var credentials: AWSCredentials
        public var expiration: Date?
    }

    /// Runs the command (split as `shlex.split`, found on PATH, no shell) and reads its answer.
    public func run(environment: AWSEnvironment) async throws(AWSConfigurationError) -> Output {
        guard let words = ShellWords.split(command), let program = words.first else {
            throw failure("its command line cannot be split into words (an unclosed quote?)")
        }
        guard let executable = Self.locate(program, environment: environment) else {
            throw failure(program.contains("/") ? "\(program) is not an executable file" : "\(program) was not found on PATH")
        }
        let result: ProcessResult
        do {
            result = try await ProcessResult.run(executable, Array(words.dropFirst()), environment: environment.variables)
        } catch let tooLong as ProcessResult.OutputTooLong {
            throw failure("\(tooLong)")
        } catch {
            throw failure("\(program) could not be started: \(error)")
        }
        guard result.status == 0 else {
            let detail = result.stderr.trimmingWhitespace
            throw failure("it exited with status \(result.status)" + (detail.isEmpty ? "" : ": \(detail)"))
        }
        return try parse(result.stdout)
    }

    /// Reads the JSON a credential process prints.
    public func parse(_ data: Data) throws(AWSConfigurationError) -> Output {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw failure("its output is not a JSON object")
        }
        guard let version = object["Version"] as? Int, version == 1 else {
            throw failure("unsupported Version \(object["Version"].map { "\($0)" } ?? "(missing)"); cks reads Version 1")
        }
        guard let accessKeyId = object["AccessKeyId"] as? String, !accessKeyId.isEmpty else {
            throw failure("its output lacks AccessKeyId")
        }
        guard let secret = object["SecretAccessKey"] as? String, !secret.isEmpty else {
            throw failure("its output lacks SecretAccessKey")
        }
        let token = (object["SessionToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        var expiration: Date?
        if let text = object["Expiration"] as? String {
            guard let date = AWSTimestamp.parse(text) else { throw failure("its Expiration \(text) is not an ISO 8601 time") }
            expiration = date
        }
        return Output(credentials: AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: token),
                      expiration: expiration)
    }

    private func failure(_ reason: String) -> AWSConfigurationError {
        AWSConfigurationError(.credentialProcess, "The credential_process of profile \(profile) (\(command)) failed: \(reason).")
    }

    /// A path with a slash as is; a bare name searched on PATH.
    static func locate(_ program: String, environment: AWSEnvironment) -> String? {
        let manager = FileManager.default
        if program.contains("/") {
            let path = environment.expandingTilde(program)
            return manager.isExecutableFile(atPath: path) ? path : nil
        }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(program)" }.first { manager.isExecutableFile(atPath: $0) }
    }
}
