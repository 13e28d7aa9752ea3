import Foundation

/// What a backend knows about an external key store's proxy beyond the API: the last GetHealthStatus answer
/// and, when the proxy is the local one, its recent requests. The simulator adopts it; find it with `as?`.
public protocol XKSProxyObservation: Sendable {
    /// The newest health check of the store's proxy (connect, update or the periodic `KmsHealthCheck`), if any.
    func proxyHealth(ofKeyStore id: String) async throws(KMSError) -> XKSProxyHealth?
    /// The newest requests the proxy served for this store, newest first; empty when the proxy is not local.
    func proxyRequests(ofKeyStore id: String, limit: Int) async throws(KMSError) -> [XKSProxyRequestRecord]
    /// The ID of each store whose last health answer changes from now on (a periodic probe, a connect, another
    /// process's), as it changes; for a view that shows the answer. It ends when its reader is cancelled.
    func proxyHealthChanges() -> AsyncStream<String>
}

/// One GetHealthStatus call to a store's proxy and what came of it.
public struct XKSProxyHealth: Sendable, Hashable {
    /// The proxy's answer (`GetHealthStatus` response).
    public struct Report: Sendable, Hashable {
        public var xksProxyFleetSize: Int
        public var xksProxyVendor: String
        public var xksProxyModel: String
        public var ekmVendor: String
        public var ekmFleetDetails: [KeyManagerInstance]

        public init(xksProxyFleetSize: Int, xksProxyVendor: String, xksProxyModel: String, ekmVendor: String,
                    ekmFleetDetails: [KeyManagerInstance]) {
            self.xksProxyFleetSize = xksProxyFleetSize
            self.xksProxyVendor = xksProxyVendor
            self.xksProxyModel = xksProxyModel
            self.ekmVendor = ekmVendor
            self.ekmFleetDetails = ekmFleetDetails
        }
    }

    /// One external key manager instance of the report.
    public struct KeyManagerInstance: Sendable, Hashable {
        public var id: String
        public var model: String
        /// ACTIVE, DEGRADED or UNAVAILABLE.
        public var healthStatus: String

        public init(id: String, model: String, healthStatus: String) {
            self.id = id
            self.model = model
            self.healthStatus = healthStatus
        }
    }

    /// What came of the call.
    public enum Outcome: Sendable, Hashable {
        case answered(Report)
        /// The call failed: the code KMS gives such a failure at connect, and what happened on the wire.
        case failed(code: ConnectionErrorCode, detail: String)
    }

    public var checkedAt: Date
    /// The `kmsOperation` sent: CreateCustomKeyStore, UpdateCustomKeyStore, ConnectCustomKeyStore or KmsHealthCheck.
    public var kmsOperation: String
    /// From sending the request to the end of the answer (or the failure), retries included.
    public var latency: TimeInterval
    public var outcome: Outcome

    public init(checkedAt: Date, kmsOperation: String, latency: TimeInterval, outcome: Outcome) {
        self.checkedAt = checkedAt
        self.kmsOperation = kmsOperation
        self.latency = latency
        self.outcome = outcome
    }
}

/// One request the local proxy served, as its request log records it.
public struct XKSProxyRequestRecord: Sendable, Hashable {
    public var time: Date
    /// health, metadata, encrypt or decrypt.
    public var operation: String
    public var kmsOperation: String?
    public var kmsRequestId: String?
    public var httpStatus: Int
    /// The proxy's errorName when it refused.
    public var errorName: String?
    public var latency: TimeInterval

    public init(time: Date, operation: String, kmsOperation: String?, kmsRequestId: String?, httpStatus: Int,
                errorName: String?, latency: TimeInterval) {
        self.time = time
        self.operation = operation
        self.kmsOperation = kmsOperation
        self.kmsRequestId = kmsRequestId
        self.httpStatus = httpStatus
        self.errorName = errorName
        self.latency = latency
    }
}
