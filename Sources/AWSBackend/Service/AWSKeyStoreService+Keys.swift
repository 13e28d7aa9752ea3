import Foundation
import KeyStoreEngine

extension AWSKeyStoreService: KMSKeyService {
    /// The keys whose KeyMetadata.CustomKeyStoreId is the store: ListKeys, then DescribeKey (eight at a time)
    /// for each key not seen before and each key known to be in the store (a key never changes store, so keys of
    /// other stores are described once per session). Compared with the previous look at the same store, the
    /// differences become key events.
    public func keys(inKeyStore id: String) async throws(KMSError) -> [KMSKey] {
        let ids = try await kms.allKeyIds()
        let wanted = ids.filter { keyId in storeOfKey[keyId].map { $0 == id } ?? true }
        let (found, _) = try await describeKeys(wanted)
        for key in found { storeOfKey[key.id] = .some(key.customKeyStoreId) }
        let mine = found.filter { $0.customKeyStoreId == id }.sorted { ($0.creationDate, $0.id) < ($1.creationDate, $1.id) }
        if let first = found.first { learnAccount(fromArn: first.arn) }
        let changes = SnapshotDiff.keyChanges(keyStoreId: id, from: keysByStore[id], to: mine, complete: true)
        keysByStore[id] = Dictionary(mine.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        log.append(changes, at: clock.now())
        return mine
    }

    /// CreateKey, in the store when `id` is given (Origin AWS_CLOUDHSM, SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT).
    public func createKey(inKeyStore id: String?, description: String = "") async throws(KMSError) -> KMSKey {
        try await createKey(inKeyStore: id, description: description, xksKeyId: nil)
    }

    /// CreateKey; with `xksKeyId`, Origin EXTERNAL_KEY_STORE in the external key store `id` (KMS asks its proxy
    /// for the external key's metadata and answers XksKeyNotFoundException and the like).
    public func createKey(inKeyStore id: String?, description: String, xksKeyId: String?) async throws(KMSError) -> KMSKey {
        if let xksKeyId {
            guard id != nil else {
                throw KMSError(.validation, "A key with XksKeyId \(xksKeyId) needs the external key store to create it in (CustomKeyStoreId).")
            }
            try KeyStoreValidation.validateXksKeyId(xksKeyId)
        }
        let key = try await kms.createKey(inKeyStore: id, description: description, xksKeyId: xksKeyId)
        learnAccount(fromArn: key.arn)
        storeOfKey[key.id] = .some(id)
        if let id {
            keysByStore[id]?[key.id] = key
            log.append([SnapshotDiff.Change(keyStoreId: id, kind: .keyCreated(keyId: key.id))], at: clock.now())
        }
        return key
    }

    public func describeKey(_ keyIdOrArn: String) async throws(KMSError) -> KMSKey {
        let key = try await kms.describeKey(keyIdOrArn)
        learnAccount(fromArn: key.arn)
        noteKey(key)
        return key
    }

    public func listKeys(limit: Int, marker: String?) async throws(KMSError) -> KeyListPage {
        let page = try await kms.listKeys(limit: limit, marker: marker)
        return KeyListPage(keys: page.keys.map { KeyListPage.Entry(keyId: $0.id, keyArn: $0.arn) }, nextMarker: page.nextMarker)
    }

    public func enableKey(_ keyIdOrArn: String) async throws(KMSError) {
        try await kms.enableKey(keyIdOrArn)
        await lookAgain(atKey: keyIdOrArn)
    }

    public func disableKey(_ keyIdOrArn: String) async throws(KMSError) {
        try await kms.disableKey(keyIdOrArn)
        await lookAgain(atKey: keyIdOrArn)
    }

    /// ScheduleKeyDeletion. KMS checks the window (7 to 30 days) and the key's state.
    public func scheduleKeyDeletion(_ keyIdOrArn: String, pendingWindowInDays: Int = KeyRules.defaultPendingWindowDays) async throws(KMSError) -> Date {
        let deletion = try await kms.scheduleKeyDeletion(keyIdOrArn, pendingWindowInDays: pendingWindowInDays)
        await lookAgain(atKey: keyIdOrArn)
        return deletion
    }

    public func cancelKeyDeletion(_ keyIdOrArn: String) async throws(KMSError) {
        try await kms.cancelKeyDeletion(keyIdOrArn)
        await lookAgain(atKey: keyIdOrArn)
    }

    /// After a change this session made to a key: describes it, so its state change becomes an event at once
    /// (a failure is left to the next `keys(inKeyStore:)`).
    private func lookAgain(atKey keyIdOrArn: String) async {
        guard let key = try? await kms.describeKey(keyIdOrArn) else { return }
        noteKey(key)
    }

    /// Records what a description of a key shows: its store, and the change of its state in a store already seen.
    private func noteKey(_ key: KMSKey) {
        storeOfKey[key.id] = .some(key.customKeyStoreId)
        guard let storeId = key.customKeyStoreId, let previous = keysByStore[storeId] else { return }
        let changes = SnapshotDiff.keyChanges(keyStoreId: storeId, from: previous, to: [key], complete: false)
        keysByStore[storeId]?[key.id] = key
        log.append(changes, at: clock.now())
    }

    /// After a store's connection state changed, looks again at the keys already seen in it (DescribeKey each)
    /// and records their state changes. Failures are ignored: the next change or `keys(inKeyStore:)` catches up.
    func refreshKeys(ofKeyStores ids: [String]) async {
        for id in ids {
            guard let previous = keysByStore[id], !previous.isEmpty else { continue }
            guard let (found, missing) = try? await describeKeys(previous.keys.sorted()) else { continue }
            guard keysByStore[id] != nil else { continue }  // the store went away meanwhile
            var changes = SnapshotDiff.keyChanges(keyStoreId: id, from: previous, to: found, complete: false)
            for keyId in missing {
                changes.append(SnapshotDiff.Change(keyStoreId: id, kind: .keyDeleted(keyId: keyId)))
            }
            var updated = keysByStore[id] ?? [:]
            for key in found { updated[key.id] = key }
            for keyId in missing { updated[keyId] = nil }
            keysByStore[id] = updated
            log.append(changes, at: clock.now())
        }
    }

    /// DescribeKey for every ID, `width` at a time, in the order given; keys that no longer exist are returned apart.
    func describeKeys(_ ids: [String], width: Int = 8) async throws(KMSError) -> (found: [KMSKey], missing: [String]) {
        let kms = self.kms
        let results = await withTaskGroup(of: (Int, Result<KMSKey, KMSError>).self) { group in
            var results = [Result<KMSKey, KMSError>?](repeating: nil, count: ids.count)
            var next = 0
            func start(_ index: Int, in group: inout TaskGroup<(Int, Result<KMSKey, KMSError>)>) {
                let keyId = ids[index]
                group.addTask {
                    do throws(KMSError) { return (index, .success(try await kms.describeKey(keyId))) }
                    catch { return (index, .failure(error)) }
                }
            }
            while next < min(width, ids.count) {
                start(next, in: &group)
                next += 1
            }
            for await (index, result) in group {
                results[index] = result
                if next < ids.count {
                    start(next, in: &group)
                    next += 1
                }
            }
            return results
        }
        var found: [KMSKey] = []
        var missing: [String] = []
        for (index, result) in results.enumerated() {
            switch result {
            case let .success(key)?: found.append(key)
            case let .failure(error)? where error.code == .notFound: missing.append(ids[index])
            case let .failure(error)?: throw error
            case nil: continue
            }
        }
        return (found, missing)
    }
}
