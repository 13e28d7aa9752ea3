import Foundation
import SigV4

extension CredentialsProvider {
    /// Fetches fresh credentials from the source, as the aws CLI's provider of that source does.
    func fetch() async throws(AWSConfigurationError) -> ExpiringCredentials {
        switch source {
        case let .fixed(credentials, _):
            return ExpiringCredentials(credentials: credentials)
        case let .process(process):
            let output = try await process.run(environment: environment)
            return ExpiringCredentials(credentials: output.credentials, expiration: output.expiration)
        case let .assumeRole(role):
            return try await assume(role)
        case let .webIdentity(web):
            return try await assume(web)
        case let .singleSignOn(sso):
            return try await SingleSignOnFetch(settings: sso, transport: transport, now: now).roleCredentials()
        case let .container(container):
            return try await fetch(container)
        case let .instanceMetadata(imds):
            let client = InstanceMetadataClient(endpoint: imds.endpoint, timeout: .milliseconds(Int64(imds.timeout * 1000)),
                                                attempts: imds.attempts, transport: transport)
            do {
                return try await client.roleCredentials()
            } catch {
                let reason = "No credentials from the EC2 instance metadata service at \(imds.endpoint.absoluteString): \(error.message)."
                throw AWSConfigurationError(.noCredentials, imds.whereLooked.map { $0 + "\n" + reason } ?? reason)
            }
        }
    }

    /// botocore's default session name: `botocore-session-<epoch seconds>`.
    private func defaultSessionName() -> String {
        "botocore-session-\(Int(now().timeIntervalSince1970))"
    }

    /// AssumeRole as botocore's `AssumeRoleCredentialFetcher`: a fresh entry of the aws CLI's cache first (no
    /// source credentials, no MFA code needed then), else the call, whose answer goes into the cache.
    private func assume(_ role: AssumeRoleSettings) async throws(AWSConfigurationError) -> ExpiringCredentials {
        let cache = role.cacheFolder.map { RoleCredentialCache(folder: $0, role: role) }
        if let cached = cache?.read(now: now()) { return cached }
        let fresh = try await callAssumeRole(role)
        cache?.write(fresh)
        return fresh
    }

    private func callAssumeRole(_ role: AssumeRoleSettings) async throws(AWSConfigurationError) -> ExpiringCredentials {
        let keys = try await sourceCredentials(role.source)
        var tokenCode: String?
        if let serial = role.mfaSerial {
            guard let prompt = mfaPrompt else {
                throw AWSConfigurationError(.fetchFailed, """
                    Profile \(role.profile) needs an MFA code from \(serial) (mfa_serial) to assume \(role.roleArn), and cks has \
                    no way to ask for it here (no terminal). Run cks in a terminal, or export credentials first: \
                    `aws configure export-credentials --profile \(role.profile) --format env`.
                    """)
            }
            guard let code = await prompt(serial)?.trimmingWhitespace, !code.isEmpty else {
                throw AWSConfigurationError(.fetchFailed, """
                    No MFA code was given for \(serial) (mfa_serial of profile \(role.profile)), so \(role.roleArn) was not \
                    assumed. The next request asks again (r reloads).
                    """)
            }
            tokenCode = code
        }
        let client = STSClient(endpoint: role.sts.url, region: role.sts.region, transport: transport, now: now)
        do {
            return try await client.assumeRole(role.roleArn, sessionName: role.roleSessionName ?? defaultSessionName(),
                                               externalId: role.externalId, durationSeconds: role.durationSeconds,
                                               serialNumber: role.mfaSerial, tokenCode: tokenCode, with: keys)
        } catch {
            throw AWSConfigurationError(.fetchFailed, """
                cks could not assume \(role.roleArn) (profile \(role.profile)) with \(role.source.origin): \(error.description). \
                Check that the role trusts those credentials (`aws sts get-caller-identity --profile \(role.profile)` shows the same).
                """)
        }
    }

    /// AssumeRoleWithWebIdentity, through the aws CLI's cache as botocore's fetcher goes.
    private func assume(_ web: WebIdentitySettings) async throws(AWSConfigurationError) -> ExpiringCredentials {
        let cache = web.cacheFolder.map { RoleCredentialCache(folder: $0, webIdentity: web) }
        if let cached = cache?.read(now: now()) { return cached }
        let fresh = try await callAssumeRoleWithWebIdentity(web)
        cache?.write(fresh)
        return fresh
    }

    private func callAssumeRoleWithWebIdentity(_ web: WebIdentitySettings) async throws(AWSConfigurationError) -> ExpiringCredentials {
        guard let data = FileManager.default.contents(atPath: web.tokenFile) else {
            throw AWSConfigurationError(.unreadableFile, "cks cannot read the web identity token file \(web.tokenFile).")
        }
        let client = STSClient(endpoint: web.sts.url, region: web.sts.region, transport: transport, now: now)
        do {
            return try await client.assumeRoleWithWebIdentity(web.roleArn, sessionName: web.roleSessionName ?? defaultSessionName(),
                                                              token: String(decoding: data, as: UTF8.self))
        } catch {
            throw AWSConfigurationError(.fetchFailed,
                                        "cks could not assume \(web.roleArn) with the web identity token \(web.tokenFile): \(error.description).")
        }
    }

    private func fetch(_ container: ContainerSettings) async throws(AWSConfigurationError) -> ExpiringCredentials {
        var authorization = container.authorizationToken
        if let file = container.authorizationTokenFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw AWSConfigurationError(.unreadableFile, "cks cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (\(file)).")
            }
            authorization = String(decoding: data, as: UTF8.self)
        }
        if let authorization, authorization.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
            throw AWSConfigurationError(.invalidSetting,
                                        "The container authorization token holds a line break, which cannot be sent in a header (as botocore refuses it).")
        }
        // botocore reaches the container endpoint directly, never through HTTP(S)_PROXY.
        let direct = (transport as? AsyncHTTPTransport).map { AsyncHTTPTransport(network: NetworkSettings(caBundle: $0.network.caBundle)) }
        let client = ContainerCredentialsClient(url: container.url, authorization: authorization, transport: direct ?? transport)
        do {
            return try await client.credentials()
        } catch {
            throw AWSConfigurationError(.fetchFailed, "No credentials from the container endpoint: \(error.message).")
        }
    }
}
