import Foundation
import KeyStoreEngine
import Testing

@Suite("Encrypt, Decrypt, GenerateDataKey(WithoutPlaintext) and GenerateRandom through the endpoint")
struct CryptoOperationTests {
    static let plaintext = Data("the quick brown fox".utf8)

    func encrypt(_ server: ServerFixture, key: String, context: [(String, JSONValue)]? = nil) async throws -> String {
        var body: [(String, JSONValue)] = [("KeyId", key.json), ("Plaintext", Self.plaintext.base64EncodedString().json)]
        if let context { body.append(("EncryptionContext", .object(context))) }
        let answer = try await server.ok("Encrypt", .object(body))
        #expect(answer["EncryptionAlgorithm"]?.stringValue == "SYMMETRIC_DEFAULT")
        #expect(answer["KeyId"]?.stringValue?.hasPrefix("arn:aws:kms:") == true)
        return try #require(answer["CiphertextBlob"]?.stringValue)
    }

    @Test("Encrypt then Decrypt without a KeyId: the ciphertext names its key")
    func roundTrip() async throws {
        try await withServer { server async throws in
            let key = try await server.createStoreKey()
            let blob = try await encrypt(server, key: key)
            #expect(Data(base64Encoded: blob) != nil)
            #expect(Data(base64Encoded: blob)?.range(of: Self.plaintext) == nil)
            let decrypted = try await server.ok("Decrypt", .fields(["CiphertextBlob": blob.json]))
            #expect(decrypted["Plaintext"]?.stringValue == Self.plaintext.base64EncodedString())
            #expect(decrypted["KeyId"]?.stringValue?.hasSuffix("key/\(key)") == true)
            #expect(decrypted["EncryptionAlgorithm"]?.stringValue == "SYMMETRIC_DEFAULT")
            // Two encryptions of the same text differ (a fresh nonce each time).
            #expect(try await encrypt(server, key: key) != blob)
        }
    }

    @Test("Decrypt with the right KeyId (ID or ARN) works; another key is IncorrectKeyException")
    func decryptKeyId() async throws {
        try await withServer { server async throws in
            let key = try await server.createStoreKey()
            let other = try await server.createStoreKey()
            let blob = try await encrypt(server, key: key)
            let arn = "arn:aws:kms:\(Demo.region):\(Demo.account):key/\(key)"
            try await server.ok("Decrypt", .fields(["CiphertextBlob": blob.json, "KeyId": key.json]))
            try await server.ok("Decrypt", .fields(["CiphertextBlob": blob.json, "KeyId": arn.json]))
            try await server.fails("Decrypt", .fields(["CiphertextBlob": blob.json, "KeyId": other.json]), with: "IncorrectKeyException")
            try await server.fails("Decrypt", .fields(["CiphertextBlob": blob.json, "KeyId": "00000000-0000-0000-0000-000000000000".json]),
                                   with: "NotFoundException")
        }
    }

    @Test("The encryption context is bound to the ciphertext, in any order")
    func encryptionContext() async throws {
        try await withServer { server async throws in
            let key = try await server.createStoreKey()
            let blob = try await encrypt(server, key: key, context: [("tenant", "a".json), ("purpose", "test".json)])
            try await server.ok("Decrypt", .fields(["CiphertextBlob": blob.json,
                                                    "EncryptionContext": .fields(["purpose": "test".json, "tenant": "a".json])]))
            try await server.fails("Decrypt", .fields(["CiphertextBlob": blob.json]), with: "InvalidCiphertextException")
            try await server.fails("Decrypt", .fields(["CiphertextBlob": blob.json, "EncryptionContext": .fields(["tenant": "b".json, "purpose": "test".json])]),
                                   with: "InvalidCiphertextException")
            try await server.fails("Encrypt", .fields(["KeyId": key.json, "Plaintext": "YQ==".json, "EncryptionContext": .fields(["n": .integer(1)])]),
                                   with: "SerializationException")
        }
    }

    @Test("A changed or foreign ciphertext is InvalidCiphertextException; bad base64 is SerializationException")
    func badCiphertext() async throws {
        try await withServer { server async throws in
            let key = try await server.createStoreKey()
            var bytes = [UInt8](try #require(Data(base64Encoded: try await encrypt(server, key: key))))
            bytes[bytes.count - 20] ^= 0x01
            try await server.fails("Decrypt", .fields(["CiphertextBlob": Data(bytes).base64EncodedString().json]), with: "InvalidCiphertextException")
            try await server.fails("Decrypt", .fields(["CiphertextBlob": Data(repeating: 7, count: 80).base64EncodedString().json]),
                                   with: "InvalidCiphertextException")
            try await server.fails("Decrypt", .fields(["CiphertextBlob": "YQ==".json]), with: "InvalidCiphertextException")
            try await server.fails("Decrypt", .fields(["CiphertextBlob": "%%% not base64".json]), with: "SerializationException")
            try await server.fails("Decrypt", .object([]), with: "ValidationException")
        }
    }

    @Test("Plaintext length: 1 to 4096 bytes")
    func plaintextLength() async throws {
        try await withServer { server async throws in
            let key = try await server.createStoreKey()
            try await server.ok("Encrypt", .fields(["KeyId": key.json, "Plaintext": Data(count: 4096).base64EncodedString().json]))
            let long = try await server.fails("Encrypt", .fields(["KeyId": key.json, "Plaintext": Data(count: 4097).base64EncodedString().json]),
                                              with: "ValidationException")
            #expect(long.message == "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096")
            try await server.fails("Encrypt", .fields(["KeyId": key.json, "Plaintext": "".json]), with: "ValidationException")
            let both = try await server.fails("Encrypt", .object([]), with: "ValidationException")
            #expect(both.message?.hasPrefix("2 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; Value null at 'plaintext'") == true)
        }
    }

    @Test("Crypto on a key whose store is disconnected: KMSInvalidStateException '<ARN> is unavailable.'")
    func unavailable() async throws {
        try await withServer { server async throws in
            let key = try await server.createStoreKey()
            let blob = try await encrypt(server, key: key)
            try await server.ok("DisconnectCustomKeyStore", .fields(["CustomKeyStoreId": Demo.payments.json]))
            let arn = "arn:aws:kms:\(Demo.region):\(Demo.account):key/\(key)"
            let refused = try await server.fails("Encrypt", .fields(["KeyId": key.json, "Plaintext": "YQ==".json]), with: "KMSInvalidStateException")
            #expect(refused.message == "\(arn) is unavailable.")
            try await server.fails("Decrypt", .fields(["CiphertextBlob": blob.json]), with: "KMSInvalidStateException")
            try await server.fails("GenerateDataKey", .fields(["KeyId": key.json, "KeySpec": "AES_256".json]), with: "KMSInvalidStateException")
            try await server.ok("ConnectCustomKeyStore", .fields(["CustomKeyStoreId": Demo.payments.json]))
            try await server.ok("Decrypt", .fields(["CiphertextBlob": blob.json]))
        }
    }

    @Test("Each use is recorded as the key's last use; DryRun uses nothing")
    func usageRecorded() async throws {
        try await withServer { server async throws in
            let key = try await server.createStoreKey()
            let dryRun = try await server.fails("Encrypt", .fields(["KeyId": key.json, "Plaintext": "YQ==".json, "DryRun": .bool(true)]),
                                                with: "DryRunOperationException")
            #expect(dryRun.message?.contains("DryRun") == true)
            #expect(try await server.service.describeKey(key).lastUsage == nil)
            let blob = try await encrypt(server, key: key)
            #expect(try await server.service.describeKey(key).lastUsage?.operation == "Encrypt")
            try await server.ok("Decrypt", .fields(["CiphertextBlob": blob.json]))
            #expect(try await server.service.describeKey(key).lastUsage?.operation == "Decrypt")
        }
    }

    @Test("GenerateDataKey: KeySpec AES_256/AES_128 or NumberOfBytes; the blob decrypts to the plaintext")
    func generateDataKey() async throws {
        try await withServer { server async throws in
            let key = try await server.createStoreKey()
            for (body, size): ([(String, JSONValue)], Int) in [([("KeySpec", "AES_256".json)], 32), ([("KeySpec", "AES_128".json)], 16),
                                                                  ([("NumberOfBytes", .integer(64))], 64)] {
                let answer = try await server.ok("GenerateDataKey", .object([("KeyId", key.json)] + body))
                let plaintext = try #require(answer["Plaintext"]?.stringValue)
                #expect(Data(base64Encoded: plaintext)?.count == size)
                let blob = try #require(answer["CiphertextBlob"]?.stringValue)
                let decrypted = try await server.ok("Decrypt", .fields(["CiphertextBlob": blob.json]))
                #expect(decrypted["Plaintext"]?.stringValue == plaintext)
            }
            try await server.fails("GenerateDataKey", .fields(["KeyId": key.json]), with: "ValidationException")
            try await server.fails("GenerateDataKey", .fields(["KeyId": key.json, "KeySpec": "AES_256".json, "NumberOfBytes": .integer(32)]),
                                   with: "ValidationException")
            try await server.fails("GenerateDataKey", .fields(["KeyId": key.json, "NumberOfBytes": .integer(1025)]), with: "ValidationException")
            try await server.fails("GenerateDataKey", .fields(["KeyId": key.json, "KeySpec": "AES_512".json]), with: "ValidationException")
        }
    }

    @Test("GenerateDataKeyWithoutPlaintext: only the CiphertextBlob, which decrypts to a data key; its use is recorded by its own name")
    func generateDataKeyWithoutPlaintext() async throws {
        try await withServer { server async throws in
            let key = try await server.createStoreKey()
            let answer = try await server.ok("GenerateDataKeyWithoutPlaintext", .fields(["KeyId": key.json, "KeySpec": "AES_128".json]))
            #expect(answer["Plaintext"] == nil, "\(answer)")
            #expect(answer["KeyId"]?.stringValue?.hasSuffix(key) == true)
            let blob = try #require(answer["CiphertextBlob"]?.stringValue)
            #expect(try await server.service.describeKey(key).lastUsage?.operation == "GenerateDataKeyWithoutPlaintext")
            let decrypted = try await server.ok("Decrypt", .fields(["CiphertextBlob": blob.json]))
            #expect(Data(base64Encoded: decrypted["Plaintext"]?.stringValue ?? "")?.count == 16)
            try await server.fails("GenerateDataKeyWithoutPlaintext", .fields(["KeyId": key.json]), with: "ValidationException")
        }
    }

    @Test("GenerateRandom, with a CustomKeyStoreId only from a CONNECTED store")
    func generateRandom() async throws {
        try await withServer { server async throws in
            let answer = try await server.ok("GenerateRandom", .fields(["NumberOfBytes": .integer(32)]))
            #expect(Data(base64Encoded: answer["Plaintext"]?.stringValue ?? "")?.count == 32)
            try await server.ok("GenerateRandom", .fields(["NumberOfBytes": .integer(1024), "CustomKeyStoreId": Demo.payments.json]))
            let refused = try await server.fails("GenerateRandom", .fields(["NumberOfBytes": .integer(16), "CustomKeyStoreId": Demo.ledger.json]),
                                                 with: "CustomKeyStoreInvalidStateException")
            #expect(refused.message?.contains("DISCONNECTED") == true)
            try await server.fails("GenerateRandom", .fields(["NumberOfBytes": .integer(16), "CustomKeyStoreId": "cks-00000000000000000".json]),
                                   with: "CustomKeyStoreNotFoundException")
            try await server.fails("GenerateRandom", .fields(["NumberOfBytes": .integer(0)]), with: "ValidationException")
            try await server.fails("GenerateRandom", .fields(["NumberOfBytes": .integer(1025)]), with: "ValidationException")
            try await server.fails("GenerateRandom", with: "ValidationException")
        }
    }

    @Test("Only SYMMETRIC_DEFAULT is an algorithm of these keys")
    func algorithms() async throws {
        try await withServer { server async throws in
            let key = try await server.createStoreKey()
            try await server.ok("Encrypt", .fields(["KeyId": key.json, "Plaintext": "YQ==".json, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT".json]))
            try await server.fails("Encrypt", .fields(["KeyId": key.json, "Plaintext": "YQ==".json, "EncryptionAlgorithm": "RSAES_OAEP_SHA_1".json]),
                                   with: "InvalidKeyUsageException")
            try await server.fails("Encrypt", .fields(["KeyId": key.json, "Plaintext": "YQ==".json, "EncryptionAlgorithm": "ROT13".json]),
                                   with: "ValidationException")
        }
    }
}
