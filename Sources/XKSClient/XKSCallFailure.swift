import KeyStoreEngine
import XKS

/// Why a call to an external key store proxy failed, classified as KMS classifies it. `connectionErrorCode`
/// and the three error mappings turn it into what KMS reports; the proxy's own `errorMessage` is never
/// carried (KMS logs it, it never returns it).
public enum XKSCallFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// No route, no DNS answer, TCP refused or reset before an answer, 429, 503, or every key manager
    /// instance UNAVAILABLE.
    case notReachable(String)
    /// The TLS handshake failed: the certificate is expired, for another host, or from a CA that is not
    /// trusted, or the proxy offers no TLS 1.2 or later.
    case tls(String)
    /// No answer within the timeout, twice (the call and its one retry).
    case timedOut
    /// A well-formed XKS error body (other than 429 and 503).
    case proxyError(status: Int, errorName: String)
    /// Not JSON, missing or out-of-range fields, a CDIV that does not match, or an error body with an
    /// unknown name.
    case invalidResponse(String)

    /// What `notReachable` says for the two statuses KMS treats as an unreachable proxy.
    static func unreachableStatus(_ status: Int, _ name: XKSError.Name) -> XKSCallFailure {
        .notReachable("HTTP \(status) \(name.rawValue)")
    }

    static let keyManagersUnavailable = XKSCallFailure.notReachable(
        "the proxy reports every external key manager instance UNAVAILABLE")

    public var description: String {
        switch self {
        case let .notReachable(detail): "proxy not reachable: \(detail)"
        case let .tls(detail): "TLS failure: \(detail)"
        case .timedOut: "no answer within the timeout, twice"
        case let .proxyError(status, errorName): "the proxy answered HTTP \(status) \(errorName)"
        case let .invalidResponse(detail): "invalid response: \(detail)"
        }
    }

    /// The cause behind the failure, which picks KMS's message.
    enum Cause: Hashable {
        case noConnection
        case tls
        case timedOut
        case keyManagersUnavailable
        case proxy(XKSError.Name)
        case invalidResponse
    }

    var cause: Cause {
        switch self {
        case let .notReachable(detail):
            if self == Self.keyManagersUnavailable { return .keyManagersUnavailable }
            for name in [XKSError.Name.throttling, .dependencyTimeout] where detail == "HTTP \(name.httpStatus) \(name.rawValue)" {
                return .proxy(name)
            }
            return .noConnection
        case .tls: return .tls
        case .timedOut: return .timedOut
        case let .proxyError(_, errorName):
            return XKSError.Name(rawValue: errorName).map(Cause.proxy) ?? .invalidResponse
        case .invalidResponse: return .invalidResponse
        }
    }

    /// The `ConnectionErrorCode` a connect that failed this way ends with (spec 9.3).
    public var connectionErrorCode: ConnectionErrorCode {
        switch self {
        case .notReachable: .xksProxyNotReachable
        case .tls: .xksProxyInvalidTLSConfiguration
        case .timedOut: .xksProxyTimedOut
        case .invalidResponse: .xksProxyInvalidResponse
        case .proxyError:
            switch cause {
            case .proxy(.authenticationFailed): .invalidCredentials
            case .proxy(.accessDenied): .xksProxyAccessDenied
            case .proxy(.invalidUriPath): .xksProxyInvalidConfiguration
            case .proxy(.throttling), .proxy(.dependencyTimeout): .xksProxyNotReachable
            default: .xksProxyInvalidResponse
            }
        }
    }
}
