import Foundation

/// KMS keys as KMS offers them: CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, ScheduleKeyDeletion
/// and CancelKeyDeletion. Both backends adopt it; the CLI, the console and the server reach keys only here.
///
/// The rules are KMS's (`KeyRules`): the pending window is 7 to 30 days; an Unavailable key (its store not
/// CONNECTED) can still be enabled, disabled (the change shows once the store is connected again) and
/// scheduled for deletion, and a key pending deletion can have its deletion cancelled while disconnected.
public protocol KMSKeyService: Sendable {
    /// CreateKey: in a CONNECTED custom key store (`Origin` AWS_CLOUDHSM) when `id` is given, else an
    /// ordinary AWS_KMS key. Always a symmetric encryption key.
    func createKey(inKeyStore id: String?, description: String) async throws(KMSError) -> KMSKey
    /// CreateKey with `Origin` EXTERNAL_KEY_STORE when `xksKeyId` is given: the store must be an external key
    /// store, and its proxy is asked for the external key's metadata first.
    func createKey(inKeyStore id: String?, description: String, xksKeyId: String?) async throws(KMSError) -> KMSKey
    /// DescribeKey by key ID or ARN.
    func describeKey(_ keyIdOrArn: String) async throws(KMSError) -> KMSKey
    /// One page of ListKeys (1 to 1000 keys), in the order the backend keeps.
    func listKeys(limit: Int, marker: String?) async throws(KMSError) -> KeyListPage
    func enableKey(_ keyIdOrArn: String) async throws(KMSError)
    func disableKey(_ keyIdOrArn: String) async throws(KMSError)
    /// ScheduleKeyDeletion: the key becomes PendingDeletion; returns the date it will be deleted.
    func scheduleKeyDeletion(_ keyIdOrArn: String, pendingWindowInDays: Int) async throws(KMSError) -> Date
    /// CancelKeyDeletion: the key comes back Disabled.
    func cancelKeyDeletion(_ keyIdOrArn: String) async throws(KMSError)
}

extension KMSKeyService {
    /// For backends without external key stores: an XksKeyId is refused.
    public func createKey(inKeyStore id: String?, description: String, xksKeyId: String?) async throws(KMSError) -> KMSKey {
        guard xksKeyId == nil else {
            throw KMSError(.unsupportedOperation, "This backend cannot create keys in external key stores.")
        }
        return try await createKey(inKeyStore: id, description: description)
    }
}

/// One page of ListKeys.
public struct KeyListPage: Sendable, Hashable {
    /// A key as ListKeys names it.
    public struct Entry: Sendable, Hashable {
        public var keyId: String
        public var keyArn: String

        public init(keyId: String, keyArn: String) {
            self.keyId = keyId
            self.keyArn = keyArn
        }
    }

    public var keys: [Entry]
    /// Present when there are more keys: pass it as the next request's marker.
    public var nextMarker: String?
    public var truncated: Bool { nextMarker != nil }

    public init(keys: [Entry], nextMarker: String?) {
        self.keys = keys
        self.nextMarker = nextMarker
    }
}
