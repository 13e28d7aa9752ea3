import Foundation
import SigV4

/// Hands out the credentials to sign with: fixed keys as they are; a credential process's keys until they come
/// within `refreshWindow` of their Expiration, then the process is run again (botocore's mandatory refresh).
public actor CredentialsProvider {
    public nonisolated let source: CredentialSource
    private let environment: AWSEnvironment
    private let now: @Sendable () -> Date
    private let refreshWindow: TimeInterval
    private var cached: CredentialProcess.Output?
    /// A run of the process under way, which concurrent requests share.
    private var running: Task<Result<CredentialProcess.Output, AWSConfigurationError>, Never>?
    /// How many times the credential process has run (for tests and diagnostics).
    public private(set) var processRuns = 0

    public init(
        source: CredentialSource, environment: AWSEnvironment = .current,
        refreshWindow: TimeInterval = 600, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.source = source
        self.environment = environment
        self.refreshWindow = refreshWindow
        self.now = now
    }

    public func credentials() async throws(AWSConfigurationError) -> AWSCredentials {
        switch source {
        case let .fixed(credentials, _):
            return credentials
        case let .process(process):
            if let cached, !needsRefresh(cached) { return cached.credentials }
            let run: Task<Result<CredentialProcess.Output, AWSConfigurationError>, Never>
            if let running {
                run = running
            } else {
                processRuns += 1
                let environment = self.environment
                run = Task { () -> Result<CredentialProcess.Output, AWSConfigurationError> in
                    do throws(AWSConfigurationError) { return .success(try await process.run(environment: environment)) }
                    catch { return .failure(error) }
                }
                running = run
            }
            let result = await run.value
            running = nil
            let output = try result.get()
            cached = output
            return output.credentials
        }
    }

    private func needsRefresh(_ output: CredentialProcess.Output) -> Bool {
        guard let expiration = output.expiration else { return false }
        return expiration.timeIntervalSince(now()) < refreshWindow
    }
}
