import Foundation
import KeyStoreEngine

extension AWSKeyStoreService {
    /// Who the session's credentials belong to (STS GetCallerIdentity); the account becomes `backend.accountId`.
    public func callerIdentity() async throws(KMSError) -> STSClient.CallerIdentity {
        let keys: ExpiringCredentials
        do {
            keys = try await credentials.current()
        } catch {
            throw KMSError(.credentialsUnavailable, error.message)
        }
        let sts = settings.stsEndpoint
        let client = STSClient(endpoint: sts.url, region: sts.region, transport: transport, now: { [clock] in clock.now() })
        do {
            let identity = try await client.getCallerIdentity(with: keys.credentials)
            backendBox.withLock { $0.accountId = identity.account }
            return identity
        } catch {
            throw KMSError(KMSError.Code(error.code ?? "EndpointUnavailable"), "GetCallerIdentity at \(sts.url.absoluteString) failed: \(error.message)")
        }
    }

    /// Before the console takes the terminal: the credentials are fetched and the account learnt for the header.
    /// A role that needs an MFA code is left to the console, which asks for the code in a prompt of its own.
    /// Behind `--endpoint-url` (an emulator, `cks serve`) without an STS endpoint of its own, STS is not asked.
    public func prepareForConsole() async {
        await credentials.setMFAPrompt(nil)
        guard !settings.credentials.needsCode else { return }
        if settings.customEndpoint == nil || settings.customSTSEndpoint != nil {
            _ = try? await callerIdentity()
        } else {
            _ = try? await credentials.current()
        }
    }

    /// Tells the log when credentials stop refreshing (the polls fail, or the old ones are kept after a failed
    /// refresh) and when they work again, once each.
    func noteCredentials(failure: KMSError?) async {
        var notice: String?
        if let failure, failure.code == .credentialsUnavailable {
            notice = "Credentials could not be refreshed, so polling fails: \(failure.message)"
        } else if failure == nil, let stale = await credentials.lastRefreshFailure {
            notice = "Credentials could not be refreshed; the current ones work until they expire: \(stale.message)"
        } else if failure == nil, let account = try? await credentials.current().accountId {
            backendBox.withLock { if $0.accountId.isEmpty { $0.accountId = account } }
        }
        guard notice != credentialNotice, failure == nil || notice != nil else { return }
        if let notice {
            log.appendNotice(notice, at: clock.now())
        } else if credentialNotice != nil {
            log.appendNotice("Credentials refreshed (\(settings.credentials.origin)); polling goes on.", at: clock.now())
        }
        credentialNotice = notice
    }
}

extension AWSKeyStoreService: ConsolePreparation {}

extension AWSKeyStoreService: SessionCredentials {
    public nonisolated func credentialStatus() -> AsyncStream<CredentialStatus> {
        credentials.statusUpdates()
    }

    public func askForCodes(with ask: @escaping @Sendable (CodeRequest) async -> String?) async {
        let profile = settings.profile
        await credentials.setMFAPrompt { serial in await ask(CodeRequest(serial: serial, profile: profile)) }
    }
}
