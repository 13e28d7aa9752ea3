import Foundation

/// Role credentials of an IAM Identity Center profile, as botocore's `SSOProvider` and `SSOTokenProvider` get
/// them: the token `aws sso login` cached in `~/.aws/sso/cache/<sha1>.json`, refreshed through OIDC CreateToken
/// within 15 minutes of its expiry when it is an `sso_session` token with a refresh token (written back to the
/// cache, as the aws CLI does), then the portal's GetRoleCredentials.
struct SingleSignOnFetch {
    var settings: SingleSignOnSettings
    var transport: any HTTPTransport
    var now: @Sendable () -> Date

    static let refreshWindow: TimeInterval = 15 * 60

    var loginNeeded: AWSConfigurationError {
        AWSConfigurationError(.ssoLoginNeeded, """
            The IAM Identity Center token of profile \(settings.profile) is missing or has expired \
            (\(settings.tokenCachePath)): run `aws sso login --profile \(settings.profile)`.
            """)
    }

    func roleCredentials() async throws(AWSConfigurationError) -> ExpiringCredentials {
        var token = try readToken()
        if settings.sessionName != nil, let expiresAt = token.expiresAt, expiresAt.timeIntervalSince(now()) < Self.refreshWindow,
           let refreshed = await refresh(token) {
            token = refreshed
            write(token)
        }
        guard let accessToken = token.object["accessToken"] as? String, let expiresAt = token.expiresAt, expiresAt > now() else {
            throw loginNeeded
        }
        let portal = SSOPortalClient(endpoint: settings.portalEndpoint, transport: transport)
        do {
            return try await portal.roleCredentials(accountId: settings.accountId, roleName: settings.roleName, accessToken: accessToken)
        } catch {
            if error.unauthorized { throw loginNeeded }
            throw AWSConfigurationError(.fetchFailed, """
                IAM Identity Center gave no credentials for role \(settings.roleName) in account \(settings.accountId) \
                (profile \(settings.profile)): \(error.message).
                """)
        }
    }

    /// The cached token file's JSON.
    struct CachedToken {
        var object: [String: Any]
        var expiresAt: Date? { (object["expiresAt"] as? String).flatMap(AWSTimestamp.parse) }
    }

    private func readToken() throws(AWSConfigurationError) -> CachedToken {
        guard let data = FileManager.default.contents(atPath: settings.tokenCachePath),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              object["accessToken"] is String, object["expiresAt"] is String else {
            throw loginNeeded
        }
        return CachedToken(object: object)
    }

    /// A new token from the refresh token, or nil (missing keys, an expired registration, a refused refresh).
    private func refresh(_ token: CachedToken) async -> CachedToken? {
        guard let refreshToken = token.object["refreshToken"] as? String, let clientId = token.object["clientId"] as? String,
              let clientSecret = token.object["clientSecret"] as? String,
              let registration = (token.object["registrationExpiresAt"] as? String).flatMap(AWSTimestamp.parse),
              registration > now() else { return nil }
        let client = SSOOIDCClient(endpoint: settings.oidcEndpoint, transport: transport)
        guard let fresh = try? await client.refresh(clientId: clientId, clientSecret: clientSecret, refreshToken: refreshToken) else {
            return nil
        }
        var object: [String: Any] = [
            "startUrl": settings.startURL, "region": settings.ssoRegion, "accessToken": fresh.accessToken,
            "expiresAt": Self.format(now().addingTimeInterval(fresh.expiresIn)), "clientId": clientId, "clientSecret": clientSecret,
            "registrationExpiresAt": token.object["registrationExpiresAt"] as? String ?? "",
        ]
        if let next = fresh.refreshToken { object["refreshToken"] = next }
        return CachedToken(object: object)
    }

    /// Writes the refreshed token where `aws sso login` keeps it (owner-only, replaced atomically).
    private func write(_ token: CachedToken) {
        guard let data = try? JSONSerialization.data(withJSONObject: token.object, options: [.sortedKeys]) else { return }
        let path = settings.tokenCachePath
        let temporary = path + ".cks-\(UUID().uuidString.prefix(8))"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }

    /// `2026-12-05T16:00:00Z`, as botocore's `_sso_json_dumps` writes times.
    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return formatter.string(from: date)
    }
}
