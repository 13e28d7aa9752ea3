import Foundation
import KeyStoreEngine

/// The KMS JSON 1.1 endpoint as a pure function of a request and the time: no sockets, so tests call it
/// directly. It checks the size, the SigV4 signature, the method, path, target and content type, reads the
/// JSON with the model's types and constraints, and runs the operation on the backend it was given. Every answer,
/// refusals included, is JSON with `Content-Type: application/x-amz-json-1.1` and an `x-amzn-RequestId`.
public struct KMSRequestHandler: Sendable {
    /// The largest body accepted; larger ones get HTTP 413 (KMS's own largest request is about 300 KiB).
    public static let maxBodyBytes = 1 << 20
    public static let contentType = "application/x-amz-json-1.1"

    private let operations: @Sendable (Target, inout RequestFields) async throws(ServiceError) -> JSONValue
    private let authenticator: RequestAuthenticator

    /// A handler in front of `service`. The operations are specialised for its type here, once, so a request
    /// costs no dynamic dispatch through an existential.
    public init<Service: KMSEndpointService>(service: Service, authentication: ServerAuthentication) {
        let router = OperationRouter(context: OperationContext(service: service))
        self.operations = { target, fields throws(ServiceError) in try await router.run(target, &fields) }
        self.authenticator = RequestAuthenticator(authentication)
    }

    /// Whether SigV4 signatures are verified.
    public var verifiesSignatures: Bool { authenticator.isEnabled }

    /// Answers one request. Never throws: every failure is a KMS JSON error.
    public func handle(_ request: ServerRequest, now: Date) async -> ServerResponse {
        let requestId = RequestID.make()
        do {
            let answer = try await answer(request, now: now)
            return Self.response(status: 200, body: answer, requestId: requestId)
        } catch {
            return Self.response(status: error.status, body: error.body, requestId: requestId)
        }
    }

    /// The JSON error for a body larger than `maxBodyBytes` (the HTTP layer sends it before reading the rest).
    public static func tooLargeResponse() -> ServerResponse {
        let error = ServiceError.tooLarge
        return response(status: error.status, body: error.body, requestId: RequestID.make())
    }

    private func answer(_ request: ServerRequest, now: Date) async throws(ServiceError) -> JSONValue {
        guard request.body.count <= Self.maxBodyBytes else { throw .tooLarge }
        let targetHeader = request.header("X-Amz-Target")
        try authenticator.check(request, signingName: Target.signingName(forHeader: targetHeader), now: now)
        guard request.method == "POST", request.path == "/" else {
            throw ServiceError(
                type: KMSError.Code.unknownOperation.rawValue,
                message: "cks serve answers POST / with an X-Amz-Target header (the KMS JSON 1.1 protocol), not \(String(request.method.prefix(16))) \(String(request.path.prefix(100))).")
        }
        let target = try Target.parse(targetHeader)
        try Self.checkContentType(request.header("Content-Type"))
        var fields = try RequestFields(body: request.body)
        return try await operations(target, &fields)
    }

    /// The JSON 1.1 content types (and plain JSON, which some hand-written clients send) are accepted.
    private static func checkContentType(_ value: String?) throws(ServiceError) {
        guard let value, value != contentType else { return }
        let type = value.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard ["application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json"].contains(type) else {
            throw ServiceError(type: KMSError.Code.serialization.rawValue,
                               message: "Content-Type \(String(value.prefix(100))) is not supported. Send \(contentType).")
        }
    }

    private static func response(status: Int, body: JSONValue, requestId: String) -> ServerResponse {
        ServerResponse(status: status,
                       headers: [("Content-Type", contentType), ("x-amzn-RequestId", requestId)],
                       body: body.compactBytes)
    }
}

extension ServiceError {
    static let tooLarge = ServiceError(
        type: KMSError.Code.requestEntityTooLarge.rawValue,
        message: "The request body is larger than \(KMSRequestHandler.maxBodyBytes) bytes. KMS requests are small: check what is being sent.",
        status: 413)
}
