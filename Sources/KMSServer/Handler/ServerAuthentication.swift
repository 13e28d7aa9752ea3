import Foundation
import SigV4

/// How `cks serve` decides who may call it.
public enum ServerAuthentication: Sendable {
    /// Every request must carry a valid SigV4 signature made with these credentials (5 minutes of clock skew).
    case sigV4(accessKeyId: String, secretAccessKey: String)
    /// No check at all: for local experiments only.
    case disabled
}

/// Verifies requests with SigV4, each against the signing name of the service it calls.
struct RequestAuthenticator: Sendable {
    private let verifiers: [String: SigV4Verifier]

    init(_ authentication: ServerAuthentication) {
        switch authentication {
        case .disabled:
            verifiers = [:]
        case let .sigV4(accessKeyId, secretAccessKey):
            let credentials = AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey)
            let lookup: @Sendable (String) -> AWSCredentials? = { $0 == credentials.accessKeyId ? credentials : nil }
            verifiers = Dictionary(uniqueKeysWithValues: ["kms", "cloudhsm"].map { name in
                (name, SigV4Verifier(services: [name], allowedClockSkew: .seconds(300), credentials: lookup))
            })
        }
    }

    var isEnabled: Bool { !verifiers.isEmpty }

    /// Throws the AWS error for a request that is not signed by the configured credentials for `signingName`.
    func check(_ request: ServerRequest, signingName: String, now: Date) throws(ServiceError) {
        guard let verifier = verifiers[signingName] else { return }
        let signed = SigV4Request(method: request.method, path: String(request.path), query: String(request.query),
                                  headers: request.headers, body: request.body)
        do {
            _ = try verifier.verify(signed, now: now)
        } catch {
            throw ServiceError(error)
        }
    }
}
