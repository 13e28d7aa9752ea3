import Foundation
import SigV4
import Synchronization
import XKS

/// The XKS Proxy API v1 over the proxy's state: routes a request, authenticates it (SigV4, service
/// `kms-xks-proxy`, the proxy's Region), applies the faults, and answers with the key manager. It never
/// blocks: everything it reads is an in-memory snapshot that `update` replaces.
public final class XKSProxyEngine: Sendable {
    /// The SigV4 signing name of the XKS Proxy API.
    public static let signingService = "kms-xks-proxy"
    /// Largest request body read (the largest valid request is about 17 KiB).
    public static let maxBodyBytes = 64 * 1024
    static let vendor = "cks"
    static let model = "cks xks-proxy 1.0"

    private let prepared: Mutex<PreparedSnapshot>

    public init(snapshot: ProxySnapshot) {
        prepared = Mutex(PreparedSnapshot(snapshot))
    }

    /// Answers from `snapshot` from now on.
    public func update(_ snapshot: ProxySnapshot) {
        let next = PreparedSnapshot(snapshot)
        prepared.withLock { $0 = next }
    }

    public var snapshot: ProxySnapshot { prepared.withLock { $0.snapshot } }

    public func handle(_ request: ProxyRequest, now: Date) -> ProxyOutcome {
        let state = prepared.withLock { $0 }
        let (path, query) = Self.split(request.uri)
        if path == "/ping", request.method == "GET" || request.method == "HEAD" {
            let body = Array("pong from cks xks-proxy\n".utf8)
            return ProxyOutcome(response: ProxyResponse(status: 200, headers: [("Content-Type", "text/plain")], body: body),
                                delay: nil, record: nil)
        }
        var record = RequestRecord(time: now, outcome: "OK", status: 200)
        let delay = state.snapshot.faults.latencyMilliseconds.map { Duration.milliseconds($0) }
        guard let route = ProxyRoute.find(path, prefixesLongestFirst: state.prefixesLongestFirst) else {
            let error = XKSError(.invalidUriPath, "No XKS API at \(Self.printable(path, limit: 200)). The proxy serves <prefix>/kms/xks/v1/health and <prefix>/kms/xks/v1/keys/<keyId>/{metadata,encrypt,decrypt} for its logical key stores.")
            return finish(.failure(error), record: &record, delay: delay, state: state)
        }
        record.operation = route.operation.rawValue
        record.prefix = route.prefix
        record.keyId = route.keyId
        guard request.method == "POST" else {
            record.outcome = "HTTP 405"
            record.status = 405
            let response = ProxyResponse(status: 405, headers: [("Allow", "POST")], body: [])
            return ProxyOutcome(response: response, delay: delay, record: record)
        }
        let result: Result<[UInt8], XKSError>
        do throws(XKSError) {
            try authenticate(request, path: path, query: query, route: route, state: state, now: now)
            if let status = state.snapshot.faults.errorStatus, let name = ProxyFaults.errorStatuses[status] {
                throw XKSError(name, "Injected fault: every request is answered with \(name.rawValue).")
            }
            guard let type = request.header("Content-Type"), type.lowercased().hasPrefix("application/json") else {
                throw XKSError(.validation, "The request must have Content-Type: application/json.")
            }
            let operations = ProxyOperations(snapshot: state.snapshot, route: route)
            result = .success(try operations.answer(request.body, record: &record))
        } catch {
            result = .failure(error)
        }
        return finish(result, record: &record, delay: delay, state: state)
    }

    private func finish(
        _ result: Result<[UInt8], XKSError>, record: inout RequestRecord, delay: Duration?, state: PreparedSnapshot
    ) -> ProxyOutcome {
        let json = [("Content-Type", "application/json")]
        switch result {
        case let .success(body):
            record.outcome = "OK"
            record.status = 200
            if let garbage = state.snapshot.faults.garbage {
                record.outcome = "OK (garbage \(garbage.rawValue))"
                return ProxyOutcome(response: GarbageAnswer.make(garbage, from: body), delay: delay, record: record)
            }
            return ProxyOutcome(response: ProxyResponse(status: 200, headers: json, body: body), delay: delay, record: record)
        case let .failure(error):
            record.outcome = error.name.rawValue
            record.status = error.httpStatus
            let body = (try? XKSJSON.encoder.encode(error.body)).map(Array.init) ?? []
            return ProxyOutcome(response: ProxyResponse(status: error.httpStatus, headers: json, body: body), delay: delay, record: record)
        }
    }

    private func authenticate(
        _ request: ProxyRequest, path: String, query: String, route: ProxyRoute, state: PreparedSnapshot, now: Date
    ) throws(XKSError) {
        let signed = SigV4Request(method: request.method, path: path, query: query, headers: request.headers, body: request.body)
        let identity: VerifiedIdentity
        do {
            identity = try state.verifier.verify(signed, now: now)
        } catch {
            throw XKSError(.authenticationFailed, "\(error.code.rawValue): \(error.message)")
        }
        let region = state.snapshot.region
        guard identity.region == region else {
            throw XKSError(.authenticationFailed, "Credential should be scoped to the proxy's Region '\(region)', not '\(identity.region)'.")
        }
        guard state.owners[identity.accessKeyId] == route.prefix else {
            throw XKSError(.authenticationFailed, "The access key id \(identity.accessKeyId) is not a credential of this logical key store.")
        }
        if state.snapshot.faults.refusedAccessKeyIds.contains(identity.accessKeyId) {
            throw XKSError(.authenticationFailed, "The credential \(identity.accessKeyId) is refused (injected fault).")
        }
    }

    static func split(_ uri: String) -> (path: String, query: String) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, "") }
        return (String(uri[..<mark]), String(uri[uri.index(after: mark)...]))
    }

    static func printable(_ text: String, limit: Int) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit).map { (0x21...0x7E).contains($0.value) ? $0 : "?" }))
    }
}

/// A snapshot with what every request needs computed once: the verifier, the credential owners and the
/// prefixes in matching order.
struct PreparedSnapshot: Sendable {
    let snapshot: ProxySnapshot
    let verifier: SigV4Verifier
    /// Access key id → prefix.
    let owners: [String: String]
    let prefixesLongestFirst: [String]

    init(_ snapshot: ProxySnapshot) {
        self.snapshot = snapshot
        var owners: [String: String] = [:]
        var secrets: [String: AWSCredentials] = [:]
        for store in snapshot.stores.values {
            for credential in store.credentials {
                owners[credential.accessKeyId] = store.prefix
                secrets[credential.accessKeyId] = AWSCredentials(accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey)
            }
        }
        self.owners = owners
        let known = secrets
        verifier = SigV4Verifier(services: [XKSProxyEngine.signingService], allowedClockSkew: .seconds(300)) { known[$0] }
        prefixesLongestFirst = snapshot.stores.keys.sorted { ($0.count, $0) > ($1.count, $1) }
    }
}

/// The encoder of the proxy's answers: Base64 keeps its slashes (`a/b`, not `a\/b`).
enum XKSJSON {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
