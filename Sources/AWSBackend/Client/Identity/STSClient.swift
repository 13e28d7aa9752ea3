import Foundation
import SigV4

/// The STS calls cks makes (AWS Query protocol: a form-encoded POST, an XML answer): AssumeRole and
/// GetCallerIdentity signed with the caller's keys, AssumeRoleWithWebIdentity unsigned.
public struct STSClient: Sendable {
    public var endpoint: URL
    public var region: String
    public var transport: any HTTPTransport
    public var now: @Sendable () -> Date

    public init(endpoint: URL, region: String, transport: any HTTPTransport = AsyncHTTPTransport(),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.endpoint = endpoint
        self.region = region
        self.transport = transport
        self.now = now
    }

    /// What GetCallerIdentity answers.
    public struct CallerIdentity: Sendable, Hashable {
        public var userId: String
        public var account: String
        public var arn: String
    }

    /// Why an STS call failed: the service's error code and message, or a transport failure (code nil).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var code: String?
        public var message: String
        public var description: String { code.map { "\($0): \(message)" } ?? message }
    }

    public func assumeRole(
        _ roleArn: String, sessionName: String, externalId: String? = nil, durationSeconds: Int? = nil,
        serialNumber: String? = nil, tokenCode: String? = nil, with credentials: AWSCredentials
    ) async throws(Failure) -> ExpiringCredentials {
        var parameters = [("RoleArn", roleArn), ("RoleSessionName", sessionName)]
        if let externalId { parameters.append(("ExternalId", externalId)) }
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        if let serialNumber { parameters.append(("SerialNumber", serialNumber)) }
        if let tokenCode { parameters.append(("TokenCode", tokenCode)) }
        let answer = try await call("AssumeRole", parameters, signedWith: credentials)
        return try Self.credentials(in: answer, operation: "AssumeRole")
    }

    public func assumeRoleWithWebIdentity(_ roleArn: String, sessionName: String, token: String) async throws(Failure) -> ExpiringCredentials {
        let answer = try await call("AssumeRoleWithWebIdentity",
                                    [("RoleArn", roleArn), ("RoleSessionName", sessionName), ("WebIdentityToken", token)],
                                    signedWith: nil)
        return try Self.credentials(in: answer, operation: "AssumeRoleWithWebIdentity")
    }

    public func getCallerIdentity(with credentials: AWSCredentials) async throws(Failure) -> CallerIdentity {
        let answer = try await call("GetCallerIdentity", [], signedWith: credentials)
        guard let account = XMLText.first("Account", in: answer), let arn = XMLText.first("Arn", in: answer) else {
            throw Failure(code: nil, message: "\(endpoint.absoluteString) answered GetCallerIdentity without Account and Arn")
        }
        return CallerIdentity(userId: XMLText.first("UserId", in: answer) ?? "", account: account, arn: arn)
    }

    static func credentials(in answer: String, operation: String) throws(Failure) -> ExpiringCredentials {
        guard let accessKey = XMLText.first("AccessKeyId", in: answer), let secret = XMLText.first("SecretAccessKey", in: answer) else {
            throw Failure(code: nil, message: "the \(operation) answer has no Credentials")
        }
        let expiration = XMLText.first("Expiration", in: answer).flatMap(AWSTimestamp.parse)
        let arn = XMLText.first("Arn", in: answer)
        let account = arn.flatMap { arn in
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
            return parts.count >= 5 && !parts[4].isEmpty ? String(parts[4]) : nil
        }
        return ExpiringCredentials(
            credentials: AWSCredentials(accessKeyId: accessKey, secretAccessKey: secret,
                                        sessionToken: XMLText.first("SessionToken", in: answer)),
            expiration: expiration, accountId: account)
    }

    private func call(_ action: String, _ parameters: [(String, String)], signedWith credentials: AWSCredentials?) async throws(Failure) -> String {
        let form = ([("Action", action), ("Version", "2011-06-15")] + parameters)
            .map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let body = Array(form.utf8)
        let path = endpoint.path.isEmpty ? "/" : endpoint.path
        var headers: [(name: String, value: String)] = [
            (name: "Host", value: AWSJSONClient.hostHeader(endpoint)),
            (name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8"),
        ]
        if let credentials {
            let signer = SigV4Signer(credentials: credentials, region: region, service: "sts")
            headers = signer.sign(SigV4Request(method: "POST", path: path, headers: headers, body: body), date: now()).headers
        }
        let url = endpoint.path.isEmpty ? endpoint.appending(path: "/") : endpoint
        let response: HTTPResponseData
        do {
            response = try await transport.send(HTTPRequestData(url: url, method: "POST",
                                                                headers: headers + [(name: "User-Agent", value: "cks/0.1.0")], body: body))
        } catch {
            throw Failure(code: nil, message: "cks could not reach STS at \(endpoint.absoluteString) for \(action): \(error.message)")
        }
        let text = String(decoding: response.body, as: UTF8.self)
        guard (200..<300).contains(response.status) else {
            let code = XMLText.first("Code", in: text)
            let message = XMLText.first("Message", in: text)
                ?? "HTTP \(response.status) from \(endpoint.absoluteString): \(text.prefix(200))"
            throw Failure(code: code, message: message)
        }
        return text
    }

    /// `application/x-www-form-urlencoded` as botocore sends it: unreserved characters kept, the rest percent-encoded.
    static func formEncode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}
