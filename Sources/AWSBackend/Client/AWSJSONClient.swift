import Foundation
import KeyStoreEngine
import SigV4

/// A client of one AWS JSON 1.1 service: `POST /` with `X-Amz-Target: <prefix>.<Operation>`, signed with
/// SigV4, retried on throttling and server faults, errors decoded into `KMSError`.
public struct AWSJSONClient: Sendable {
    /// The protocol facts of a service.
    public struct Service: Sendable, Hashable {
        public var targetPrefix: String
        public var signingName: String

        public static let kms = Service(targetPrefix: "TrentService", signingName: "kms")
        public static let cloudHSMV2 = Service(targetPrefix: "BaldrApiService", signingName: "cloudhsm")
    }

    public var service: Service
    public var endpoint: URL
    public var region: String
    public var credentials: CredentialsProvider
    public var transport: any HTTPTransport
    public var retry: RetryPolicy
    public var clock: any BackendClock
    /// The correction to the signing time, shared by the clients of one session.
    public var skew: ClockSkew

    public init(
        service: Service, endpoint: URL, region: String, credentials: CredentialsProvider,
        transport: any HTTPTransport = AsyncHTTPTransport(), retry: RetryPolicy = RetryPolicy(),
        clock: any BackendClock = SystemBackendClock(), skew: ClockSkew = ClockSkew()
    ) {
        self.service = service
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.transport = transport
        self.retry = retry
        self.clock = clock
        self.skew = skew
    }

    /// Calls `operation` with a JSON body and returns the JSON answer (`{}` for an empty one).
    public func call(_ operation: String, _ body: JSONValue = .object([])) async throws(KMSError) -> JSONValue {
        let payload = Array(body.compact.utf8)
        var attempt = 1
        var skewCorrected = false
        while true {
            let outcome = await attemptOnce(operation, payload)
            switch outcome {
            case let .success(json):
                return json
            case let .skewed(error, correction):
                // The SDKs' clock-skew correction: sign again with the server's time, once.
                guard !skewCorrected else { throw error }
                skewCorrected = true
                skew.set(correction)
            case let .failure(error, retryable):
                guard retryable, attempt < retry.maxAttempts else {
                    if retryable, retry.maxAttempts > 1 {
                        let message = error.message.hasSuffix(".") ? String(error.message.dropLast()) : error.message
                        throw KMSError(error.code, message + " (gave up after \(attempt) attempts).")
                    }
                    throw error
                }
                do {
                    try await clock.sleep(for: retry.delay(beforeRetry: attempt))
                } catch {
                    throw KMSError(.endpointUnavailable, "\(operation) was cancelled.")
                }
                attempt += 1
            }
        }
    }

    private enum Outcome {
        case success(JSONValue)
        case failure(KMSError, retryable: Bool)
        /// Refused for a signing time off by more than the service allows; the correction from its `Date`.
        case skewed(KMSError, correction: TimeInterval)
    }

    private func attemptOnce(_ operation: String, _ payload: [UInt8]) async -> Outcome {
        let request: HTTPRequestData
        do {
            request = try await signedRequest(operation, payload)
        } catch {
            return .failure(KMSError(.credentialsUnavailable, error.message), retryable: false)
        }
        let response: HTTPResponseData
        do {
            response = try await transport.send(request)
        } catch {
            return .failure(KMSError(.endpointUnavailable,
                                     "cks could not reach \(endpoint.absoluteString) for \(operation): \(error.message)."),
                            retryable: true)
        }
        guard (200..<300).contains(response.status) else {
            let error = AWSErrorDecoder.decode(response, endpoint: endpoint)
            if let correction = ClockSkew.correction(status: response.status, code: error.code.rawValue, message: error.message,
                                                     dateHeader: response.header("Date"), localNow: clock.now()) {
                return .skewed(error, correction: correction)
            }
            return .failure(error, retryable: RetryPolicy.isRetryable(status: response.status, code: error.code))
        }
        if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .success(.object([])) }
        do {
            return .success(try JSONValue.parse(Data(response.body)))
        } catch {
            return .failure(KMSError(.endpointUnavailable,
                                     "\(endpoint.absoluteString) answered \(operation) with something that is not JSON. Is it a KMS endpoint?"),
                            retryable: false)
        }
    }

    /// The request with `Host`, `Content-Type`, `X-Amz-Target` and the SigV4 headers.
    func signedRequest(_ operation: String, _ payload: [UInt8]) async throws(AWSConfigurationError) -> HTTPRequestData {
        let keys = try await credentials.credentials()
        let path = endpoint.path.isEmpty ? "/" : endpoint.path
        let unsigned = SigV4Request(method: "POST", path: path, headers: [
            (name: "Host", value: Self.hostHeader(endpoint)),
            (name: "Content-Type", value: "application/x-amz-json-1.1"),
            (name: "X-Amz-Target", value: "\(service.targetPrefix).\(operation)"),
        ], body: payload)
        let signer = SigV4Signer(credentials: keys, region: region, service: service.signingName)
        let signed = signer.sign(unsigned, date: clock.now().addingTimeInterval(skew.seconds))
        var url = endpoint
        if endpoint.path.isEmpty { url = endpoint.appending(path: "/") }
        return HTTPRequestData(url: url, method: "POST",
                               headers: signed.headers + [(name: "User-Agent", value: "cks/0.1.0")], body: payload)
    }

    /// `host` or `host:port` when the port is not the scheme's default.
    static func hostHeader(_ url: URL) -> String {
        let host = url.host ?? ""
        let bracketed = host.contains(":") ? "[\(host)]" : host
        guard let port = url.port else { return bracketed }
        let standard = url.scheme?.lowercased() == "https" ? 443 : 80
        return port == standard ? bracketed : "\(bracketed):\(port)"
    }
}

extension KMSError.Code {
    /// Not a KMS name: the credentials to sign with could not be had (a failing credential process).
    public static let credentialsUnavailable = KMSError.Code("CredentialsUnavailable")
}
