/// A backend that can say, before a connect, what the store's cluster looks like (the AWS backend asks
/// CloudHSM DescribeClusters). Found at the edge with `as? any ConnectPreflightService`.
public protocol ConnectPreflightService: KeyStoreService {
    func connectPreflight(keyStoreId idOrName: String) async throws(KMSError) -> ConnectPreflight
}
