import Foundation
import KeyStoreEngine
import SigV4

/// The IAM Identity Center portal's GetRoleCredentials: `GET /federation/credentials?role_name=…&account_id=…`
/// with the access token in `x-amz-sso_bearer_token`, unsigned.
public struct SSOPortalClient: Sendable {
    public var endpoint: URL
    public var transport: any HTTPTransport

    public init(endpoint: URL, transport: any HTTPTransport = AsyncHTTPTransport()) {
        self.endpoint = endpoint
        self.transport = transport
    }

    /// Why the portal gave no credentials; `unauthorized` when the token is not (or no longer) accepted.
    public struct Failure: Error, Sendable {
        public var unauthorized: Bool
        public var message: String
    }

    public func roleCredentials(accountId: String, roleName: String, accessToken: String) async throws(Failure) -> ExpiringCredentials {
        var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false)
        components?.path = (endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path) + "/federation/credentials"
        components?.queryItems = [URLQueryItem(name: "role_name", value: roleName), URLQueryItem(name: "account_id", value: accountId)]
        guard let url = components?.url else { throw Failure(unauthorized: false, message: "no portal URL from \(endpoint)") }
        let response: HTTPResponseData
        do {
            response = try await transport.send(HTTPRequestData(url: url, method: "GET",
                                                                headers: [(name: "x-amz-sso_bearer_token", value: accessToken)], body: []))
        } catch {
            throw Failure(unauthorized: false, message: "cks could not reach the IAM Identity Center portal at \(endpoint.absoluteString): \(error.message)")
        }
        let json = try? JSONValue.parse(Data(response.body))
        guard response.status == 200 else {
            let name = (json?["__type"]?.stringValue ?? response.header("x-amzn-ErrorType")).map(AWSErrorDecoder.exceptionName) ?? "HTTP \(response.status)"
            let message = json?["message"]?.stringValue ?? json?["Message"]?.stringValue ?? ""
            throw Failure(unauthorized: response.status == 401 || name == "UnauthorizedException",
                          message: "GetRoleCredentials: \(name)" + (message.isEmpty ? "" : ": \(message)"))
        }
        guard let role = json?["roleCredentials"], let accessKey = role["accessKeyId"]?.stringValue,
              let secret = role["secretAccessKey"]?.stringValue else {
            throw Failure(unauthorized: false, message: "the portal answered GetRoleCredentials without roleCredentials")
        }
        let expiration = role["expiration"]?.doubleValue.map { Date(timeIntervalSince1970: $0 / 1000) }
        return ExpiringCredentials(credentials: AWSCredentials(accessKeyId: accessKey, secretAccessKey: secret,
                                                               sessionToken: role["sessionToken"]?.stringValue),
                                   expiration: expiration, accountId: accountId)
    }
}

/// IAM Identity Center OIDC's CreateToken with a refresh token (`POST /token`, JSON, unsigned), as botocore's
/// `SSOTokenProvider` refreshes the token `aws sso login` cached.
public struct SSOOIDCClient: Sendable {
    public var endpoint: URL
    public var transport: any HTTPTransport

    public init(endpoint: URL, transport: any HTTPTransport = AsyncHTTPTransport()) {
        self.endpoint = endpoint
        self.transport = transport
    }

    /// A new access token, how long it lasts, and the refresh token to use next (when the service gave one).
    public struct Token: Sendable {
        public var accessToken: String
        public var expiresIn: Double
        public var refreshToken: String?
    }

    public struct Failure: Error, Sendable { public var message: String }

    public func refresh(clientId: String, clientSecret: String, refreshToken: String) async throws(Failure) -> Token {
        let body = JSONValue.object([
            ("grantType", .string("refresh_token")), ("clientId", .string(clientId)),
            ("clientSecret", .string(clientSecret)), ("refreshToken", .string(refreshToken)),
        ])
        let url = endpoint.appending(path: "token")
        let response: HTTPResponseData
        do {
            response = try await transport.send(HTTPRequestData(url: url, method: "POST",
                                                                headers: [(name: "Content-Type", value: "application/json")],
                                                                body: Array(body.compact.utf8)))
        } catch {
            throw Failure(message: "cks could not reach IAM Identity Center OIDC at \(endpoint.absoluteString): \(error.message)")
        }
        let json = try? JSONValue.parse(Data(response.body))
        guard response.status == 200, let accessToken = json?["accessToken"]?.stringValue else {
            let name = json?["error"]?.stringValue ?? json?["__type"]?.stringValue ?? "HTTP \(response.status)"
            throw Failure(message: "CreateToken: \(name)")
        }
        return Token(accessToken: accessToken, expiresIn: json?["expiresIn"]?.doubleValue ?? 3600,
                     refreshToken: json?["refreshToken"]?.stringValue)
    }
}
