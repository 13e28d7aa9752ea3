import CKSTestSupport
import Foundation
import KeyStoreEngine
import Testing
import XKS
import XKSClient
import XKSProxy
@testable import Simulator

/// Keys in external key stores through a real proxy on loopback: CreateKey's GetKeyMetadata and refusals,
/// double encryption in Encrypt, Decrypt and GenerateDataKey, KMS's errors when the proxy fails, the
/// Unavailable state while disconnected, and GenerateRandom's refusal.
@Suite struct XKSKeyTests {
    /// A world with a CONNECTED external key store whose proxy runs on loopback.
    private func connected() async throws -> (XKSWorld, RunningXKSProxy, String) {
        let xks = try XKSWorld()
        let proxy = try await xks.startProxy()
        let id = try await xks.create("xks-keys", xks.publicSettings())
        try await xks.service.connectKeyStore(id: id)
        try await eventually("the store CONNECTED") {
            try await xks.service.keyStore(idOrName: id).connectionState == .connected
        }
        return (xks, proxy, id)
    }

    private func stop(_ xks: XKSWorld, _ proxy: RunningXKSProxy) async {
        await proxy.stop()
        await xks.remove()
    }

    /// Adds an external key to the proxy's key manager.
    private func addExternalKey(_ xks: XKSWorld, _ proxy: RunningXKSProxy, id: String, usages: [XKSKeyUsage] = [.encrypt, .decrypt],
                                enabled: Bool = true) async throws {
        let database = try XKSWorld.proxyDatabase(home: xks.home)
        try database.createKey(prefix: XKSWorld.prefix, id: id, usages: usages, now: Date())
        if !enabled { try database.setKeyEnabled(prefix: XKSWorld.prefix, id: id, enabled: false) }
        database.close()
        try await proxy.reload()
    }

    private func faults(_ xks: XKSWorld, _ proxy: RunningXKSProxy, _ change: @escaping (inout ProxyFaults) -> Void) async throws {
        try xks.setFaults(change)
        try await proxy.reload()
    }

    private func code(_ body: () async throws -> Void) async -> KMSError? {
        do {
            try await body()
            return nil
        } catch let error as KMSError {
            return error
        } catch {
            return KMSError(.kmsInternal, "\(error)")
        }
    }

    @Test func createKeyBindsTheExternalKeyAndRefusesWhatKMSRefuses() async throws {
        let (xks, proxy, id) = try await connected()
        let service = xks.service
        let key = try await service.createKey(inKeyStore: id, description: "orders", xksKeyId: "test-key-1")
        #expect(key.xksKeyId == "test-key-1")
        #expect(key.origin == .externalKeyStore)
        #expect(key.customKeyStoreId == id)
        #expect(key.keyState == .enabled)
        #expect(try await service.describeKey(key.id).xksKeyId == "test-key-1")

        #expect(await code { _ = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "test-key-1") }?.code == .xksKeyAlreadyInUse)
        let missing = await code { _ = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "no-such-key") }
        #expect(missing == KMSError(.xksKeyNotFound, XKSMessages.proxy(.keyNotFound)))

        try await addExternalKey(xks, proxy, id: "encrypt-only", usages: [.encrypt])
        try await addExternalKey(xks, proxy, id: "switched-off", enabled: false)
        let usage = await code { _ = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "encrypt-only") }
        #expect(usage?.code == .xksKeyInvalidConfiguration)
        #expect(usage?.message.contains("must include ENCRYPT and DECRYPT") == true)
        let disabled = await code { _ = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "switched-off") }
        #expect(disabled?.code == .xksKeyInvalidConfiguration)
        #expect(disabled?.message.contains("must be ENABLED") == true)

        #expect(await code { _ = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "bad/id") }?.code == .validation)
        #expect(await code { _ = try await service.createKey(inKeyStore: nil, description: "", xksKeyId: "test-key-1") }?.code == .validation)
        #expect(await code { _ = try await service.createKey(inKeyStore: id, description: "", xksKeyId: nil) }?.code == .validation)

        // A proxy that fails: CustomKeyStoreInvalidStateException with KMS's message for the cause.
        try await addExternalKey(xks, proxy, id: "later")
        try await faults(xks, proxy) { $0.errorStatus = 403 }
        let denied = await code { _ = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "later") }
        #expect(denied == KMSError(.customKeyStoreInvalidState, XKSMessages.proxy(.accessDenied)))
        try await faults(xks, proxy) { $0 = ProxyFaults() }
        #expect(try await service.createKey(inKeyStore: id, description: "", xksKeyId: "later").xksKeyId == "later")

        try await service.disconnectKeyStore(id: id)
        try await eventually("the store DISCONNECTED") { try await service.keyStore(idOrName: id).connectionState == .disconnected }
        try await addExternalKey(xks, proxy, id: "offline")
        #expect(await code { _ = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "offline") }?.code == .customKeyStoreInvalidState)
        #expect(try await service.keys(inKeyStore: id).compactMap(\.xksKeyId).sorted() == ["later", "test-key-1"])
        await stop(xks, proxy)
    }

    @Test func theXksKeyIdIsKeptInTheWorldFile() async throws {
        let (xks, proxy, id) = try await connected()
        let key = try await xks.service.createKey(inKeyStore: id, description: "", xksKeyId: "test-key-1")
        let reopened = try World(home: xks.home, clock: xks.world.clock, pace: .instant)
        #expect(try await reopened.service.describeKey(key.id).xksKeyId == "test-key-1")
        reopened.service.close()
        await stop(xks, proxy)
    }

    @Test func encryptDecryptAndGenerateDataKeyAreDoubleEncrypted() async throws {
        let (xks, proxy, id) = try await connected()
        let service = xks.service
        let key = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "test-key-1")
        let context = ["purpose": "tests", "team": "xks"]
        let sealed = try await service.encrypt(EncryptRequest(keyId: key.id, plaintext: Data("hello xks".utf8), encryptionContext: context))
        #expect(sealed.keyArn == key.arn)
        #expect(sealed.ciphertextBlob.first == XKSCiphertextBlob.version)
        let opened = try await service.decrypt(DecryptRequest(ciphertextBlob: sealed.ciphertextBlob, encryptionContext: context))
        #expect(opened.plaintext == Data("hello xks".utf8))
        #expect(opened.keyArn == key.arn)

        // The proxy saw both calls, with the metadata KMS sends.
        try await eventually("Encrypt and Decrypt in the proxy's log") {
            let log = (try? String(contentsOfFile: RequestLog.fileURL(home: xks.home).path, encoding: .utf8)) ?? ""
            return log.contains("kmsOperation=Encrypt operation=Encrypt key=\(XKSWorld.prefix):test-key-1 outcome=OK")
                && log.contains("kmsOperation=Decrypt operation=Decrypt key=\(XKSWorld.prefix):test-key-1 outcome=OK")
        }

        // Another encryption context fails at the proxy (its AAD), as KMS reports it.
        let wrongContext = await code { _ = try await service.decrypt(DecryptRequest(ciphertextBlob: sealed.ciphertextBlob, encryptionContext: ["purpose": "other"])) }
        #expect(wrongContext == KMSError(.kmsInvalidState, XKSMessages.proxy(.invalidCiphertext)))

        let dataKey = try await service.generateDataKey(GenerateDataKeyRequest(keyId: key.id, numberOfBytes: 32))
        #expect(dataKey.plaintext.count == 32)
        #expect(try await service.decrypt(DecryptRequest(ciphertextBlob: dataKey.ciphertextBlob)).plaintext == dataKey.plaintext)
        await stop(xks, proxy)
    }

    @Test func generateDataKeyTellsTheProxyWhichOperationItServes() async throws {
        let (xks, proxy, id) = try await connected()
        let service = xks.service
        let key = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "test-key-1")
        let withPlaintext = try await service.generateDataKey(GenerateDataKeyRequest(keyId: key.id, numberOfBytes: 32))
        let without = try await service.generateDataKey(GenerateDataKeyRequest(keyId: key.id, numberOfBytes: 32, withoutPlaintext: true))
        #expect(withPlaintext.plaintext.count == 32)
        #expect(without.plaintext.isEmpty, "GenerateDataKeyWithoutPlaintext hands out no plaintext")
        #expect(try await service.decrypt(DecryptRequest(ciphertextBlob: without.ciphertextBlob)).plaintext.count == 32)
        // KMS sends the proxy's Encrypt the name of the operation it serves (spec section 3.5's requestMetadata).
        try await eventually("both data keys in the proxy's log under their own kmsOperation") {
            let log = (try? String(contentsOfFile: RequestLog.fileURL(home: xks.home).path, encoding: .utf8)) ?? ""
            return log.contains("kmsOperation=GenerateDataKey operation=Encrypt key=\(XKSWorld.prefix):test-key-1 outcome=OK")
                && log.contains("kmsOperation=GenerateDataKeyWithoutPlaintext operation=Encrypt key=\(XKSWorld.prefix):test-key-1 outcome=OK")
        }
        await stop(xks, proxy)
    }

    @Test func aBlobNeverDecryptsUnderAnotherKeyNorUnderAKeyRecreatedOnTheSameExternalKey() async throws {
        let (xks, proxy, id) = try await connected()
        let service = xks.service
        try await addExternalKey(xks, proxy, id: "second")
        let first = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "test-key-1")
        let second = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "second")
        let blob = try await service.encrypt(EncryptRequest(keyId: first.id, plaintext: Data("only for the first".utf8))).ciphertextBlob
        #expect(await code { _ = try await service.decrypt(DecryptRequest(ciphertextBlob: blob, keyId: second.id)) }?.code == .incorrectKey)
        // The header rewritten to name the second key: the proxy's AAD (the key ARN) no longer matches.
        let renamed = Data([XKSCiphertextBlob.version, UInt8(second.id.utf8.count)] + Array(second.id.utf8)) + blob.dropFirst(2 + first.id.utf8.count)
        #expect(await code { _ = try await service.decrypt(DecryptRequest(ciphertextBlob: renamed)) }?.code == .kmsInvalidState)

        // The first key deleted, a new key on the same external key: it cannot read the old blob.
        _ = try await service.scheduleKeyDeletion(first.id, pendingWindowInDays: 7)
        xks.world.clock.advance(by: 8 * 86_400)
        try await service.catchUp()
        let recreated = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "test-key-1")
        #expect(await code { _ = try await service.decrypt(DecryptRequest(ciphertextBlob: blob)) }?.code == .notFound)
        let moved = Data([XKSCiphertextBlob.version, UInt8(recreated.id.utf8.count)] + Array(recreated.id.utf8)) + blob.dropFirst(2 + first.id.utf8.count)
        #expect(await code { _ = try await service.decrypt(DecryptRequest(ciphertextBlob: moved)) }?.code == .kmsInvalidState)
        await stop(xks, proxy)
    }

    @Test func aFailingProxyIsKMSInvalidStateWithKMSsMessageForTheCause() async throws {
        let (xks, proxy, id) = try await connected()
        let service = xks.service
        let key = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "test-key-1")
        let encrypt = { () async -> KMSError? in
            await self.code { _ = try await service.encrypt(EncryptRequest(keyId: key.id, plaintext: Data([1, 2, 3]))) }
        }
        #expect(await encrypt() == nil)
        let cases: [(String, (inout ProxyFaults) -> Void, String)] = [
            ("throttled", { $0.errorStatus = 429 }, XKSMessages.proxy(.throttling)),
            ("internal", { $0.errorStatus = 500 }, XKSMessages.proxy(.internal)),
            ("refused credential", { $0.refusedAccessKeyIds = [XKSWorld.credential.accessKeyId] }, XKSMessages.proxy(.authenticationFailed)),
            ("garbage", { $0.garbage = .nonJSON }, XKSMessages.invalidResponse),
            ("down", { $0.stopListening = true }, XKSMessages.notReachable),
        ]
        for (name, fault, message) in cases {
            try await faults(xks, proxy) { $0 = ProxyFaults(); fault(&$0) }
            #expect(await encrypt() == KMSError(.kmsInvalidState, message), "\(name)")
        }
        try await faults(xks, proxy) { $0 = ProxyFaults() }
        let database = try XKSWorld.proxyDatabase(home: xks.home)
        try database.setKeyEnabled(prefix: XKSWorld.prefix, id: "test-key-1", enabled: false)
        database.close()
        try await proxy.reload()
        try await eventually("the proxy listening again") { await encrypt() != KMSError(.kmsInvalidState, XKSMessages.notReachable) }
        #expect(await encrypt() == KMSError(.kmsInvalidState, XKSMessages.proxy(.invalidState)))
        // A failed call does not change the store's state (KMS finds out only when it uses a key).
        #expect(try await service.keyStore(idOrName: id).connectionState == .connected)
        await stop(xks, proxy)
    }

    @Test func keysAreUnavailableWhileTheStoreIsDisconnectedAndComeBackAfterReconnecting() async throws {
        let (xks, proxy, id) = try await connected()
        let service = xks.service
        let key = try await service.createKey(inKeyStore: id, description: "", xksKeyId: "test-key-1")
        let blob = try await service.encrypt(EncryptRequest(keyId: key.id, plaintext: Data("kept".utf8))).ciphertextBlob
        try await service.disableKey(key.id)
        try await service.disconnectKeyStore(id: id)
        try await eventually("the store DISCONNECTED") { try await service.keyStore(idOrName: id).connectionState == .disconnected }
        #expect(try await service.describeKey(key.id).keyState == .unavailable)
        // KMS's words for a key whose external key store is not connected, not the generic "<ARN> is unavailable."
        let notConnected = KMSError(.kmsInvalidState, XKSMessages.notConnected)
        #expect(await code { _ = try await service.decrypt(DecryptRequest(ciphertextBlob: blob)) } == notConnected)
        #expect(await code { _ = try await service.encrypt(EncryptRequest(keyId: key.id, plaintext: Data("x".utf8))) } == notConnected)
        #expect(await code { _ = try await service.encrypt(EncryptRequest(keyId: key.id, plaintext: Data("x".utf8), dryRun: true)) } == notConnected)
        try await service.enableKey(key.id)
        try await service.connectKeyStore(id: id)
        try await eventually("the store CONNECTED") { try await service.keyStore(idOrName: id).connectionState == .connected }
        #expect(try await service.describeKey(key.id).keyState == .enabled)
        #expect(try await service.decrypt(DecryptRequest(ciphertextBlob: blob)).plaintext == Data("kept".utf8))
        await stop(xks, proxy)
    }

    @Test func generateRandomRefusesAnExternalKeyStore() async throws {
        let (xks, proxy, id) = try await connected()
        let refused = await code { _ = try await xks.service.generateRandom(numberOfBytes: 16, customKeyStoreId: id) }
        #expect(refused?.code == .unsupportedOperation)
        #expect(try await xks.service.generateRandom(numberOfBytes: 16, customKeyStoreId: nil).count == 16)
        await stop(xks, proxy)
    }
}
