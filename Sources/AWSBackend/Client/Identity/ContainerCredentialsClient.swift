import Foundation
import SigV4

/// The container credentials endpoint (ECS task roles, EKS Pod Identity) as botocore's `ContainerProvider`
/// calls it: a GET with `Accept: application/json` and the authorization token, 2 s, three attempts.
public struct ContainerCredentialsClient: Sendable {
    public var url: URL
    public var authorization: String?
    public var timeout: Duration
    public var attempts: Int
    public var transport: any HTTPTransport

    public init(url: URL, authorization: String?, timeout: Duration = .seconds(2), attempts: Int = 3,
                transport: any HTTPTransport = AsyncHTTPTransport()) {
        self.url = url
        self.authorization = authorization
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.transport = transport
    }

    public struct Failure: Error, Sendable { public var message: String }

    public func credentials() async throws(Failure) -> ExpiringCredentials {
        var headers: [(name: String, value: String)] = [(name: "Accept", value: "application/json")]
        if let authorization { headers.append((name: "Authorization", value: authorization)) }
        let request = HTTPRequestData(url: url, method: "GET", headers: headers, body: [], timeout: timeout)
        var last = ""
        for _ in 0..<attempts {
            let response: HTTPResponseData
            do {
                response = try await transport.send(request)
            } catch {
                last = error.message
                continue
            }
            let text = String(decoding: response.body, as: UTF8.self)
            guard response.status == 200 else {
                last = "HTTP \(response.status): \(text.prefix(200))"
                continue
            }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
                last = "the answer is not JSON"
                continue
            }
            guard let accessKey = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String,
                  let token = object["Token"] as? String, let expiration = object["Expiration"] as? String else {
                throw Failure(message: "\(url.absoluteString) answered without AccessKeyId, SecretAccessKey, Token and Expiration")
            }
            return ExpiringCredentials(credentials: AWSCredentials(accessKeyId: accessKey, secretAccessKey: secret, sessionToken: token),
                                       expiration: AWSTimestamp.parse(expiration),
                                       accountId: (object["AccountId"] as? String).flatMap { $0.isEmpty ? nil : $0 })
        }
        throw Failure(message: "\(url.absoluteString) gave no credentials after \(attempts) attempts (\(last))")
    }
}
