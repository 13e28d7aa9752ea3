import Foundation
import KeyStoreEngine
import SigV4

/// Asks for a one-time code of an MFA device (`mfa_serial`); nil when none can be had (no terminal).
public typealias MFACodePrompt = @Sendable (_ mfaSerial: String) async -> String?

/// Hands out the credentials to sign with: fixed keys as they are; temporary ones (a credential process, an
/// assumed role, IAM Identity Center, a container or instance role) until they come within `refreshWindow`
/// of their expiry, then fetched again (botocore's mandatory refresh), one fetch shared by concurrent
/// requests. A refresh that fails while the old credentials still work keeps them, and says so in
/// `lastRefreshFailure`; once they have expired, the failure is thrown.
public actor CredentialsProvider {
    public nonisolated let source: CredentialSource
    let environment: AWSEnvironment
    let now: @Sendable () -> Date
    let refreshWindow: TimeInterval
    let transport: any HTTPTransport
    private(set) var mfaPrompt: MFACodePrompt?
    private var cached: ExpiringCredentials?
    /// A fetch under way, which concurrent requests share.
    private var running: Task<Result<ExpiringCredentials, AWSConfigurationError>, Never>?
    /// The provider of an assumed role's source credentials, kept so that its own cache lives on.
    private var sourceProvider: CredentialsProvider?
    /// How many times credentials were fetched: the credential process run, the role assumed, … (for tests and diagnostics).
    public private(set) var processRuns = 0
    /// Why the last refresh failed, while the credentials in use still work; nil after a success.
    public private(set) var lastRefreshFailure: AWSConfigurationError?
    /// How the credentials stand after the last fetch (nil before the first, and for fixed keys).
    public private(set) var status: CredentialStatus?
    private var statusWatchers: [UUID: AsyncStream<CredentialStatus>.Continuation] = [:]

    public init(
        source: CredentialSource, environment: AWSEnvironment = .current, refreshWindow: TimeInterval = 600,
        now: @escaping @Sendable () -> Date = { Date() }, transport: any HTTPTransport = AsyncHTTPTransport(),
        mfaPrompt: MFACodePrompt? = nil
    ) {
        self.source = source
        self.environment = environment
        self.refreshWindow = refreshWindow
        self.now = now
        self.transport = transport
        self.mfaPrompt = mfaPrompt
    }

    /// Who asks for MFA codes from now on (nil: nobody, e.g. while the console owns the terminal).
    public func setMFAPrompt(_ prompt: MFACodePrompt?) async {
        mfaPrompt = prompt
        await sourceProvider?.setMFAPrompt(prompt)
    }

    /// The same provider settings for another source (the source of an assumed role).
    func derived(for source: CredentialSource) -> CredentialsProvider {
        CredentialsProvider(source: source, environment: environment, refreshWindow: refreshWindow, now: now,
                            transport: transport, mfaPrompt: mfaPrompt)
    }

    public func credentials() async throws(AWSConfigurationError) -> AWSCredentials {
        try await current().credentials
    }

    /// The credentials in use, with their expiry and account when known.
    public func current() async throws(AWSConfigurationError) -> ExpiringCredentials {
        if case let .fixed(credentials, _) = source { return ExpiringCredentials(credentials: credentials) }
        if let cached, !needsRefresh(cached) { return cached }
        let run: Task<Result<ExpiringCredentials, AWSConfigurationError>, Never>
        if let running {
            run = running
        } else {
            processRuns += 1
            run = Task { () -> Result<ExpiringCredentials, AWSConfigurationError> in
                do throws(AWSConfigurationError) { return .success(try await self.fetch()) }
                catch { return .failure(error) }
            }
            running = run
        }
        let result = await run.value
        running = nil
        switch result {
        case let .success(fresh):
            cached = fresh
            lastRefreshFailure = nil
            publish(.valid(accountId: fresh.accountId))
            return fresh
        case let .failure(error):
            if let cached, let expiration = cached.expiration, expiration > now() {
                lastRefreshFailure = error
                publish(.refreshFailing(reason: error.message, until: expiration))
                return cached
            }
            publish(.failed(reason: error.message))
            throw error
        }
    }

    /// The status now (when known), then each change: what the console's header shows. Nothing is polled: a
    /// change is told when a request needs credentials and the fetch it starts succeeds or fails.
    public nonisolated func statusUpdates() -> AsyncStream<CredentialStatus> {
        AsyncStream { continuation in
            let id = UUID()
            let watching = Task { await self.watch(id, continuation) }
            continuation.onTermination = { _ in
                Task {
                    await watching.value
                    await self.unwatch(id)
                }
            }
        }
    }

    private func watch(_ id: UUID, _ continuation: AsyncStream<CredentialStatus>.Continuation) {
        if let status { continuation.yield(status) }
        statusWatchers[id] = continuation
    }

    private func unwatch(_ id: UUID) {
        statusWatchers[id] = nil
    }

    private func publish(_ next: CredentialStatus) {
        guard next != status else { return }
        status = next
        for watcher in statusWatchers.values { watcher.yield(next) }
    }

    /// The provider of an assumed role's source, made once.
    func sourceCredentials(_ source: CredentialSource) async throws(AWSConfigurationError) -> AWSCredentials {
        if sourceProvider == nil { sourceProvider = derived(for: source) }
        return try await sourceProvider!.credentials()
    }

    private func needsRefresh(_ credentials: ExpiringCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now()) < refreshWindow
    }
}
