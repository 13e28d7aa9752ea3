import Foundation
import KeyStoreEngine
import Testing

@Suite("Key operations through the endpoint")
struct KeyOperationTests {
    @Test("CreateKey in a CONNECTED store: Origin AWS_CLOUDHSM, the store and cluster in KeyMetadata")
    func createInStore() async throws {
        try await withServer { server async throws in
            let answer = try await server.ok("CreateKey", .fields([
                "CustomKeyStoreId": Demo.payments.json, "Origin": "AWS_CLOUDHSM".json, "Description": "orders".json,
            ]))
            let metadata = try #require(answer["KeyMetadata"])
            #expect(metadata["Origin"]?.stringValue == "AWS_CLOUDHSM")
            #expect(metadata["CustomKeyStoreId"]?.stringValue == Demo.payments)
            #expect(metadata["CloudHsmClusterId"]?.stringValue == Demo.paymentsCluster)
            #expect(metadata["KeyState"]?.stringValue == "Enabled")
            #expect(metadata["Enabled"] == .bool(true))
            #expect(metadata["Description"]?.stringValue == "orders")
            #expect(metadata["KeySpec"]?.stringValue == "SYMMETRIC_DEFAULT")
            #expect(metadata["KeyUsage"]?.stringValue == "ENCRYPT_DECRYPT")
            #expect(metadata["AWSAccountId"]?.stringValue == Demo.account)
            let keyId = try #require(metadata["KeyId"]?.stringValue)
            #expect(metadata["Arn"]?.stringValue == "arn:aws:kms:\(Demo.region):\(Demo.account):key/\(keyId)")
        }
    }

    @Test("CreateKey without a store makes an ordinary AWS_KMS key")
    func createOrdinary() async throws {
        try await withServer { server async throws in
            let answer = try await server.ok("CreateKey")
            #expect(answer["KeyMetadata"]?["Origin"]?.stringValue == "AWS_KMS")
            #expect(answer["KeyMetadata"]?["CustomKeyStoreId"] == nil)
            try await server.ok("CreateKey", .fields(["KeySpec": "SYMMETRIC_DEFAULT".json, "KeyUsage": "ENCRYPT_DECRYPT".json,
                                                     "Tags": .array([.fields(["TagKey": "team".json, "TagValue": "a".json])])]))
        }
    }

    @Test("CreateKey refuses what a custom key store cannot hold, and stores that are not CONNECTED")
    func createRefusals() async throws {
        try await withServer { server async throws in
            let store = Demo.payments.json
            try await server.fails("CreateKey", .fields(["CustomKeyStoreId": Demo.ledger.json, "Origin": "AWS_CLOUDHSM".json]),
                                   with: "CustomKeyStoreInvalidStateException")
            try await server.fails("CreateKey", .fields(["CustomKeyStoreId": "cks-00000000000000000".json, "Origin": "AWS_CLOUDHSM".json]),
                                   with: "CustomKeyStoreNotFoundException")
            try await server.fails("CreateKey", .fields(["CustomKeyStoreId": store]), with: "ValidationException")
            try await server.fails("CreateKey", .fields(["Origin": "AWS_CLOUDHSM".json]), with: "ValidationException")
            try await server.fails("CreateKey", .fields(["CustomKeyStoreId": store, "Origin": "AWS_CLOUDHSM".json, "KeySpec": "RSA_2048".json]),
                                   with: "UnsupportedOperationException")
            try await server.fails("CreateKey", .fields(["CustomKeyStoreId": store, "Origin": "AWS_CLOUDHSM".json, "KeyUsage": "SIGN_VERIFY".json]),
                                   with: "ValidationException")
            try await server.fails("CreateKey", .fields(["CustomKeyStoreId": store, "Origin": "AWS_CLOUDHSM".json, "MultiRegion": .bool(true)]),
                                   with: "UnsupportedOperationException")
            try await server.fails("CreateKey", .fields(["Origin": "EXTERNAL_KEY_STORE".json]), with: "ValidationException")
            try await server.fails("CreateKey", .fields(["CustomKeyStoreId": store, "Origin": "AWS_CLOUDHSM".json, "XksKeyId": "k1".json]),
                                   with: "ValidationException")
            try await server.fails("CreateKey", .fields(["Origin": "EXTERNAL".json]), with: "UnsupportedOperationException")
            try await server.fails("CreateKey", .fields(["KeySpec": "HMAC_256".json]), with: "UnsupportedOperationException")
            try await server.fails("CreateKey", .fields(["KeySpec": "SYMMETRIC_DEFAULT".json, "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT".json]),
                                   with: "ValidationException")
            let spec = try await server.fails("CreateKey", .fields(["KeySpec": "AES_999".json]), with: "ValidationException")
            #expect(spec.message?.contains("Member must satisfy enum value set: [RSA_2048") == true)
            try await server.fails("CreateKey", .fields(["Description": String(repeating: "d", count: 8193).json]), with: "ValidationException")
        }
    }

    @Test("DescribeKey by ID or ARN; a key of a store that is not CONNECTED is Unavailable")
    func describe() async throws {
        try await withServer { server async throws in
            let key = try await server.demoKey(in: Demo.payments)
            let byId = try await server.ok("DescribeKey", .fields(["KeyId": key.id.json]))
            #expect(byId["KeyMetadata"]?["Arn"]?.stringValue == key.arn)
            let byArn = try await server.ok("DescribeKey", .fields(["KeyId": key.arn.json]))
            #expect(byArn["KeyMetadata"]?["KeyId"]?.stringValue == key.id)

            let ledgerKey = try await server.demoKey(in: Demo.ledger)
            let unavailable = try await server.ok("DescribeKey", .fields(["KeyId": ledgerKey.id.json]))
            #expect(unavailable["KeyMetadata"]?["KeyState"]?.stringValue == "Unavailable")
            #expect(unavailable["KeyMetadata"]?["Enabled"] == .bool(false))

            let missing = try await server.fails("DescribeKey", with: "ValidationException")
            #expect(missing.message == "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null")
            try await server.fails("DescribeKey", .fields(["KeyId": "00000000-0000-0000-0000-000000000000".json]), with: "NotFoundException")
            try await server.fails("DescribeKey", .fields(["KeyId": "alias/orders".json]), with: "NotFoundException")
            try await server.fails("DescribeKey", .fields(["KeyId": "".json]), with: "ValidationException")
        }
    }

    @Test("ListKeys pages with Limit and Marker, NextMarker and Truncated")
    func list() async throws {
        try await withServer { server async throws in
            let all = try await server.service.allKeys()
            let first = try await server.ok("ListKeys")
            #expect(first["Keys"]?.arrayValue?.count == min(all.count, 100))
            var seen: [String] = []
            var marker: String?
            var pages = 0
            repeat {
                var body: [(String, JSONValue)] = [("Limit", .integer(3))]
                if let marker { body.append(("Marker", .string(marker))) }
                let page = try await server.ok("ListKeys", .object(body))
                let keys = try #require(page["Keys"]?.arrayValue)
                for key in keys {
                    let id = try #require(key["KeyId"]?.stringValue)
                    #expect(key["KeyArn"]?.stringValue?.hasSuffix("key/\(id)") == true)
                    seen.append(id)
                }
                marker = page["NextMarker"]?.stringValue
                #expect(page["Truncated"] == .bool(marker != nil))
                pages += 1
            } while marker != nil && pages < 100
            #expect(seen == all.map(\.id))
            try await server.fails("ListKeys", .fields(["Limit": .integer(0)]), with: "ValidationException")
            try await server.fails("ListKeys", .fields(["Limit": .integer(1001)]), with: "ValidationException")
            try await server.fails("ListKeys", .fields(["Marker": "nope".json]), with: "InvalidMarkerException")
        }
    }

    @Test("DisableKey and EnableKey change what Encrypt allows")
    func enableDisable() async throws {
        try await withServer { server async throws in
            let key = try await server.createStoreKey()
            let encrypt: JSONValue = .fields(["KeyId": key.json, "Plaintext": Data("secret".utf8).base64EncodedString().json])
            #expect(try await server.ok("DisableKey", .fields(["KeyId": key.json])) == .object([]))
            let describe = try await server.ok("DescribeKey", .fields(["KeyId": key.json]))
            #expect(describe["KeyMetadata"]?["KeyState"]?.stringValue == "Disabled")
            let disabled = try await server.fails("Encrypt", encrypt, with: "DisabledException")
            #expect(disabled.message?.hasSuffix("is disabled.") == true)
            try await server.ok("EnableKey", .fields(["KeyId": key.json]))
            try await server.ok("Encrypt", encrypt)
            try await server.fails("EnableKey", .fields(["KeyId": "00000000-0000-0000-0000-000000000000".json]), with: "NotFoundException")
        }
    }

    @Test("ScheduleKeyDeletion and CancelKeyDeletion")
    func deletion() async throws {
        try await withServer { server async throws in
            let key = try await server.createStoreKey()
            let scheduled = try await server.ok("ScheduleKeyDeletion", .fields(["KeyId": key.json, "PendingWindowInDays": .integer(7)]))
            #expect(scheduled["KeyId"]?.stringValue?.hasSuffix(key) == true)
            #expect(scheduled["KeyState"]?.stringValue == "PendingDeletion")
            #expect(scheduled["PendingWindowInDays"] == .integer(7))
            let deletion = try #require(scheduled["DeletionDate"]?.doubleValue)
            #expect(abs(deletion - server.clock.now().addingTimeInterval(7 * 86_400).timeIntervalSince1970) < 1)
            try await server.fails("Encrypt", .fields(["KeyId": key.json, "Plaintext": "YQ==".json]), with: "KMSInvalidStateException")
            try await server.fails("ScheduleKeyDeletion", .fields(["KeyId": key.json]), with: "KMSInvalidStateException")

            let cancelled = try await server.ok("CancelKeyDeletion", .fields(["KeyId": key.json]))
            #expect(cancelled["KeyId"]?.stringValue?.hasSuffix(key) == true)
            let describe = try await server.ok("DescribeKey", .fields(["KeyId": key.json]))
            #expect(describe["KeyMetadata"]?["KeyState"]?.stringValue == "Disabled")
            try await server.fails("CancelKeyDeletion", .fields(["KeyId": key.json]), with: "KMSInvalidStateException")
            try await server.fails("ScheduleKeyDeletion", .fields(["KeyId": key.json, "PendingWindowInDays": .integer(3)]),
                                   with: "ValidationException")
            try await server.fails("ScheduleKeyDeletion", .fields(["KeyId": key.json, "PendingWindowInDays": .integer(366)]),
                                   with: "ValidationException")
        }
    }

    @Test("A store's keys follow its connection: Unavailable when disconnected, back when reconnected")
    func storeStateRulesKeys() async throws {
        try await withServer { server async throws in
            let key = try await server.createStoreKey()
            try await server.ok("DisconnectCustomKeyStore", .fields(["CustomKeyStoreId": Demo.payments.json]))
            let describe = try await server.ok("DescribeKey", .fields(["KeyId": key.json]))
            #expect(describe["KeyMetadata"]?["KeyState"]?.stringValue == "Unavailable")
            // Enable/Disable succeed while Unavailable (the hidden state changes).
            try await server.ok("DisableKey", .fields(["KeyId": key.json]))
            try await server.ok("EnableKey", .fields(["KeyId": key.json]))
            try await server.ok("ConnectCustomKeyStore", .fields(["CustomKeyStoreId": Demo.payments.json]))
            let back = try await server.ok("DescribeKey", .fields(["KeyId": key.json]))
            #expect(back["KeyMetadata"]?["KeyState"]?.stringValue == "Enabled")
        }
    }
}
