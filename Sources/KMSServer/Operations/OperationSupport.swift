import Foundation
import KeyStoreEngine
import Simulator

/// What every operation needs: the simulated world and the account it belongs to.
struct OperationContext: Sendable {
    let service: SimulatorService

    var accountId: String { service.backend.accountId }

    /// Runs a call into the simulator, turning its KMS errors into the endpoint's answer.
    func call<T>(_ body: () async throws(KMSError) -> T) async throws(ServiceError) -> T {
        do {
            return try await body()
        } catch {
            throw ServiceError(error)
        }
    }
}

/// Member constraints of the KMS API model that are more than a length (patterns written out, no regex).
enum MemberPattern {
    /// `cluster-[2-7a-zA-Z]{11,16}`
    static let clusterId: (test: @Sendable (String) -> Bool, text: String) = (
        { id in
            guard id.hasPrefix("cluster-") else { return false }
            let body = id.utf8.dropFirst("cluster-".count)
            return (11...16).contains(body.count) && body.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "2")...UInt8(ascii: "7")).contains(byte)
            }
        },
        "cluster-[2-7a-zA-Z]{11,16}"
    )

    /// `[\u0020-\u00FF]*` (Marker)
    static let marker: (test: @Sendable (String) -> Bool, text: String) = (
        { $0.unicodeScalars.allSatisfy { (0x20...0xFF).contains($0.value) } },
        "[\\u0020-\\u00FF]*"
    )

    /// The members of CreateCustomKeyStore and UpdateCustomKeyStore that only external key stores use.
    static let externalKeyStoreMembers = [
        "XksProxyUriEndpoint", "XksProxyUriPath", "XksProxyVpcEndpointServiceName", "XksProxyVpcEndpointServiceOwner",
        "XksProxyAuthenticationCredential", "XksProxyConnectivity",
    ]
}

extension ServiceError {
    static func unsupported(_ message: String) -> ServiceError {
        ServiceError(type: KMSError.Code.unsupportedOperation.rawValue, message: message)
    }

    static func validation(_ message: String) -> ServiceError {
        ServiceError(type: KMSError.Code.validation.rawValue, message: message)
    }

    /// The answer to anything about external key stores, which the simulator does not model.
    static let externalKeyStores = unsupported(
        "cks serve simulates AWS CloudHSM key stores only; external key stores (EXTERNAL_KEY_STORE, XKS) are not supported. Use CustomKeyStoreType AWS_CLOUDHSM.")
}

extension Data {
    /// Cryptographically secure random bytes.
    static func random(count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
