import Foundation
import SigV4

/// The EC2 instance metadata service as botocore's `InstanceMetadataFetcher` calls it: IMDSv2 (a PUT for a
/// session token, then GETs with it), falling back to IMDSv1 when the token PUT is refused (403, 404, 405)
/// or times out; each call `timeout` long and tried `attempts` times.
public struct InstanceMetadataClient: Sendable {
    public var endpoint: URL
    public var timeout: Duration
    public var attempts: Int
    public var transport: any HTTPTransport

    public init(endpoint: URL, timeout: Duration = .seconds(1), attempts: Int = 1, transport: any HTTPTransport = AsyncHTTPTransport()) {
        self.endpoint = endpoint
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.transport = transport
    }

    /// Why no credentials came from the instance metadata service.
    public struct Failure: Error, Sendable { public var message: String }

    public func roleCredentials() async throws(Failure) -> ExpiringCredentials {
        let token = try await sessionToken()
        let role = try await get("latest/meta-data/iam/security-credentials/", token: token)
            .split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard !role.isEmpty else { throw Failure(message: "the instance has no IAM role (no instance profile)") }
        let text = try await get("latest/meta-data/iam/security-credentials/" + role, token: token, needsJSON: true)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
              let accessKey = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String,
              let sessionToken = object["Token"] as? String, let expiration = object["Expiration"] as? String else {
            throw Failure(message: "the credentials of role \(role) are incomplete: \(text.prefix(200))")
        }
        return ExpiringCredentials(credentials: AWSCredentials(accessKeyId: accessKey, secretAccessKey: secret, sessionToken: sessionToken),
                                   expiration: AWSTimestamp.parse(expiration),
                                   accountId: (object["AccountId"] as? String).flatMap { $0.isEmpty ? nil : $0 })
    }

    private func url(_ path: String) -> URL {
        let base = endpoint.absoluteString
        return URL(string: base + (base.hasSuffix("/") ? "" : "/") + path) ?? endpoint
    }

    /// The IMDSv2 token, or nil to go on with IMDSv1 (as botocore does when the PUT is refused or times out).
    private func sessionToken() async throws(Failure) -> String? {
        let request = HTTPRequestData(url: url("latest/api/token"), method: "PUT",
                                      headers: [(name: "x-aws-ec2-metadata-token-ttl-seconds", value: "21600")], body: [],
                                      timeout: timeout)
        for _ in 0..<attempts {
            let response: HTTPResponseData
            do {
                response = try await transport.send(request)
            } catch {
                if error.message.contains("no answer in time") { return nil }
                continue
            }
            switch response.status {
            case 200: return String(decoding: response.body, as: UTF8.self)
            case 403, 404, 405: return nil
            case 400: throw Failure(message: "the metadata service refused the token request (HTTP 400)")
            default: continue
            }
        }
        return nil
    }

    private func get(_ path: String, token: String?, needsJSON: Bool = false) async throws(Failure) -> String {
        var headers: [(name: String, value: String)] = []
        if let token { headers.append((name: "x-aws-ec2-metadata-token", value: token)) }
        let request = HTTPRequestData(url: url(path), method: "GET", headers: headers, body: [], timeout: timeout)
        var last = "no answer"
        for _ in 0..<attempts {
            do {
                let response = try await transport.send(request)
                let text = String(decoding: response.body, as: UTF8.self)
                if response.status == 200, !text.isEmpty,
                   !needsJSON || (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil {
                    return text
                }
                last = "HTTP \(response.status)" + (text.isEmpty ? "" : ": \(text.prefix(200))")
            } catch {
                last = error.message
            }
        }
        throw Failure(message: "\(url(path).absoluteString) gave no answer after \(attempts) attempt\(attempts == 1 ? "" : "s") (\(last))")
    }
}
