import CKSTestSupport
import Foundation
import KeyStoreEngine
import Testing
import XKS
import XKSClient
import XKSProxy

/// Successful calls through a real proxy on loopback: health, key metadata, encrypt and decrypt over one
/// kept-alive connection.
@Suite struct XKSClientRoundTripTests {
    @Test func healthMetadataEncryptAndDecryptRoundTripOverOneConnection() async throws {
        let fixture = try await ClientFixture.start()
        let client = fixture.client()
        let health = try #require(await fixture.health(client).value)
        #expect(health.xksProxyFleetSize == 1)
        #expect(health.ekmFleetDetails.map(\.healthStatus) == ["ACTIVE", "ACTIVE"])

        let metadata = try #require(await client.getKeyMetadata(
            at: fixture.address, uriPath: ClientFixture.uriPath, credential: fixture.credential, keyId: "foo",
            metadata: ClientFixture.metadata("CreateKey")).value)
        #expect(metadata.keySpec == "AES_256")
        #expect(metadata.invalidConfigurationError() == nil)

        let plaintext = Array("the simulated KMS's own ciphertext".utf8)
        let aad = Array("derived from the encryption context and the key ARN".utf8)
        let sealed = try #require(await client.encrypt(
            at: fixture.address, uriPath: ClientFixture.uriPath, credential: fixture.credential, keyId: "foo",
            plaintext: plaintext, aad: aad, metadata: ClientFixture.metadata("Encrypt")).value)
        #expect(sealed.ciphertext.count == plaintext.count)
        #expect(sealed.ciphertext != plaintext)
        #expect(sealed.initializationVector.count == 12)
        #expect(sealed.authenticationTag.count == 16)

        let opened = await client.decrypt(
            at: fixture.address, uriPath: ClientFixture.uriPath, credential: fixture.credential, keyId: "foo",
            answer: sealed, aad: aad, metadata: ClientFixture.metadata("Decrypt"))
        #expect(opened.value == plaintext)

        let wrongAAD = await client.decrypt(
            at: fixture.address, uriPath: ClientFixture.uriPath, credential: fixture.credential, keyId: "foo",
            answer: sealed, aad: Array("another context".utf8), metadata: ClientFixture.metadata("Decrypt"))
        #expect(wrongAAD.failure == .proxyError(status: 400, errorName: "InvalidCiphertextException"))
        #expect(wrongAAD.failure?.cryptoError().code == .kmsInvalidState)

        // Five calls, one TLS connection kept alive (the refused decrypt left it open too).
        #expect(client.idleConnections(to: fixture.address) == 1)
        try await eventually("five lines in the proxy's request log") { fixture.requestLog.count == 5 }
        #expect(fixture.requestLog.contains { $0.contains("kmsOperation=ConnectCustomKeyStore operation=GetHealthStatus") && $0.contains("status=200") })
        await client.shutdown()
        await fixture.stop()
    }

    @Test func concurrentCallsEachGetAConnectionAndTheyAreKeptForReuse() async throws {
        let fixture = try await ClientFixture.start()
        let client = fixture.client()
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<4 {
                group.addTask {
                    let plaintext = Array(repeating: UInt8(index), count: 48)
                    let sealed = await client.encrypt(
                        at: fixture.address, uriPath: ClientFixture.uriPath, credential: fixture.credential, keyId: "foo",
                        plaintext: plaintext, aad: nil, metadata: ClientFixture.metadata("GenerateDataKey"))
                    guard let sealed = sealed.value else { return false }
                    let opened = await client.decrypt(
                        at: fixture.address, uriPath: ClientFixture.uriPath, credential: fixture.credential, keyId: "foo",
                        answer: sealed, aad: nil, metadata: ClientFixture.metadata("Decrypt"))
                    return opened.value == plaintext
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == [true, true, true, true])
        // A connection goes back to the pool once its answer's end is read, which may be a moment after the call
        // returns on a loaded machine.
        try await eventually("the connections kept for reuse") { (1...4).contains(client.idleConnections(to: fixture.address)) }
        await client.shutdown()
        #expect(client.idleConnections(to: fixture.address) == 0)
        await fixture.stop()
    }

    @Test func theKeyMetadataRulesOfCreateKey() {
        #expect(XKSKeyMetadataAnswer(keySpec: "AES_256", keyUsage: ["ENCRYPT", "DECRYPT"], keyStatus: "ENABLED")
            .invalidConfigurationError() == nil)
        let spec = XKSKeyMetadataAnswer(keySpec: "RSA_2048", keyUsage: ["ENCRYPT", "DECRYPT"], keyStatus: "ENABLED").invalidConfigurationError()
        #expect(spec?.code == .xksKeyInvalidConfiguration)
        #expect(spec?.message.contains("is RSA_2048") == true)
        let usage = XKSKeyMetadataAnswer(keySpec: "AES_256", keyUsage: ["ENCRYPT"], keyStatus: "ENABLED").invalidConfigurationError()
        #expect(usage?.message.contains("must include ENCRYPT and DECRYPT") == true)
        let status = XKSKeyMetadataAnswer(keySpec: "AES_256", keyUsage: ["DECRYPT", "ENCRYPT"], keyStatus: "DISABLED").invalidConfigurationError()
        #expect(status?.message.contains("is DISABLED") == true)
    }

    @Test func keyProblemsAtCreateKeyAndInCryptoOperations() async throws {
        let fixture = try await ClientFixture.start()
        let client = fixture.client()
        let missing = await client.getKeyMetadata(
            at: fixture.address, uriPath: ClientFixture.uriPath, credential: fixture.credential, keyId: "nope",
            metadata: ClientFixture.metadata("CreateKey"))
        #expect(missing.failure == .proxyError(status: 404, errorName: "KeyNotFoundException"))
        #expect(missing.failure?.createKeyError().code == .xksKeyNotFound)

        let disabled = try #require(await client.getKeyMetadata(
            at: fixture.address, uriPath: ClientFixture.uriPath, credential: fixture.credential, keyId: "disabled",
            metadata: ClientFixture.metadata("CreateKey")).value)
        #expect(disabled.invalidConfigurationError()?.code == .xksKeyInvalidConfiguration)

        let refused = await client.encrypt(
            at: fixture.address, uriPath: ClientFixture.uriPath, credential: fixture.credential, keyId: "disabled",
            plaintext: [1, 2, 3], aad: nil, metadata: ClientFixture.metadata("Encrypt"))
        #expect(refused.failure == .proxyError(status: 400, errorName: "InvalidStateException"))
        #expect(refused.failure?.cryptoError() == KMSError(.kmsInvalidState, XKSMessages.proxy(.invalidState)))
        #expect(refused.failure?.createKeyError().code == .xksKeyInvalidConfiguration)

        let sealed = try #require(await client.encrypt(
            at: fixture.address, uriPath: ClientFixture.uriPath, credential: fixture.credential, keyId: "encrypt-only",
            plaintext: [1, 2, 3], aad: nil, metadata: ClientFixture.metadata("Encrypt")).value)
        let usage = await client.decrypt(
            at: fixture.address, uriPath: ClientFixture.uriPath, credential: fixture.credential, keyId: "encrypt-only",
            answer: sealed, aad: nil, metadata: ClientFixture.metadata("Decrypt"))
        #expect(usage.failure == .proxyError(status: 400, errorName: "InvalidKeyUsageException"))
        #expect(usage.failure?.cryptoError().message == XKSMessages.proxy(.invalidKeyUsage))
        await client.shutdown()
        await fixture.stop()
    }
}
