import KeyStoreEngine

/// What the server asks of a backend: custom key stores (and their clusters), keys and cryptography.
/// `cks serve` passes the simulator; a test double serves the handler tests.
public typealias KMSEndpointService = KeyStoreService & KMSKeyService & KMSCryptoService

/// What every operation needs: the backend and the account it belongs to.
struct OperationContext<Service: KMSEndpointService>: Sendable {
    let service: Service

    var accountId: String { service.backend.accountId }

    /// Runs a call into the backend, turning its KMS errors into the endpoint's answer.
    func call<T>(_ body: () async throws(KMSError) -> T) async throws(ServiceError) -> T {
        do {
            return try await body()
        } catch {
            throw ServiceError(error)
        }
    }
}
