import Foundation
import KeyStoreEngine
import Testing

@Suite("Custom key store operations through the endpoint")
struct CustomKeyStoreOperationTests {
    @Test("DescribeCustomKeyStores lists every store with the API's fields, Truncated false")
    func describeAll() async throws {
        try await withServer { server async throws in
            let answer = try await server.ok("DescribeCustomKeyStores")
            let stores = try #require(answer["CustomKeyStores"]?.arrayValue)
            #expect(stores.count == Demo.storeCount)
            #expect(answer["Truncated"] == .bool(false))
            #expect(answer["NextMarker"] == nil)
            let payments = try #require(stores.first { $0["CustomKeyStoreId"]?.stringValue == Demo.payments })
            #expect(payments["ConnectionState"]?.stringValue == "CONNECTED")
            #expect(payments["CloudHsmClusterId"]?.stringValue == Demo.paymentsCluster)
            #expect(payments["CustomKeyStoreType"]?.stringValue == "AWS_CLOUDHSM")
            #expect(payments["CreationDate"]?.doubleValue != nil)
            #expect(payments["ConnectionErrorCode"] == nil)
            let failed = try #require(stores.first { $0["CustomKeyStoreId"]?.stringValue == Demo.tokenization })
            #expect(failed["ConnectionState"]?.stringValue == "FAILED")
            #expect(failed["ConnectionErrorCode"]?.stringValue == "INVALID_CREDENTIALS")
            #expect(!answer.compact.contains("KeyStorePassword"))
        }
    }

    @Test("DescribeCustomKeyStores pages with Limit and Marker, as botocore's paginator walks them")
    func describePages() async throws {
        try await withServer { server async throws in
            var seen: [String] = []
            var marker: String?
            var pages = 0
            repeat {
                var body: [(String, JSONValue)] = [("Limit", .integer(2))]
                if let marker { body.append(("Marker", .string(marker))) }
                let page = try await server.ok("DescribeCustomKeyStores", .object(body))
                let stores = try #require(page["CustomKeyStores"]?.arrayValue)
                #expect(stores.count <= 2)
                seen += stores.compactMap { $0["CustomKeyStoreId"]?.stringValue }
                marker = page["NextMarker"]?.stringValue
                #expect(page["Truncated"] == .bool(marker != nil))
                pages += 1
            } while marker != nil && pages < 20
            #expect(pages == (Demo.storeCount + 1) / 2)
            #expect(seen.count == Demo.storeCount)
            #expect(Set(seen).count == Demo.storeCount)
        }
    }

    @Test("DescribeCustomKeyStores by ID or name, and its refusals")
    func describeOne() async throws {
        try await withServer { server async throws in
            let byId = try await server.ok("DescribeCustomKeyStores", .fields(["CustomKeyStoreId": Demo.ledger.json]))
            #expect(byId["CustomKeyStores"]?.arrayValue?.first?["CustomKeyStoreName"]?.stringValue == "ledger-archive")
            let byName = try await server.ok("DescribeCustomKeyStores", .fields(["CustomKeyStoreName": "ledger-archive".json]))
            #expect(byName["CustomKeyStores"]?.arrayValue?.first?["CustomKeyStoreId"]?.stringValue == Demo.ledger)

            try await server.fails("DescribeCustomKeyStores", .fields(["CustomKeyStoreId": "cks-00000000000000000".json]),
                                   with: "CustomKeyStoreNotFoundException")
            try await server.fails("DescribeCustomKeyStores", .fields(["CustomKeyStoreName": "no-such-store".json]),
                                   with: "CustomKeyStoreNotFoundException")
            try await server.fails("DescribeCustomKeyStores",
                                   .fields(["CustomKeyStoreId": Demo.ledger.json, "CustomKeyStoreName": "ledger-archive".json]),
                                   with: "ValidationException")
            try await server.fails("DescribeCustomKeyStores", .fields(["Marker": "not-a-marker".json]), with: "InvalidMarkerException")
            let limit = try await server.fails("DescribeCustomKeyStores", .fields(["Limit": .integer(0)]), with: "ValidationException")
            #expect(limit.message == "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
            try await server.fails("DescribeCustomKeyStores", .fields(["Limit": .integer(1001)]), with: "ValidationException")
            try await server.fails("DescribeCustomKeyStores", .fields(["CustomKeyStoreId": "".json]), with: "ValidationException")
        }
    }

    @Test("CreateCustomKeyStore on the spare cluster: a DISCONNECTED store with a cks- ID")
    func create() async throws {
        try await withServer { server async throws in
            let id = try await server.createSpareStore(name: "fresh")
            #expect(id.hasPrefix("cks-") && id.count == 21)
            #expect(try await server.connectionState(id) == "DISCONNECTED")
            // The same request again returns the same store (idempotent create).
            #expect(try await server.createSpareStore(name: "fresh") == id)
        }
    }

    @Test("CreateCustomKeyStore refuses as KMS does")
    func createRefusals() async throws {
        try await withServer { server async throws in
            let anchor = try await server.trustAnchor(ofCluster: Demo.spareCluster)
            let otherAnchor = try await server.trustAnchor(ofCluster: Demo.paymentsCluster)
            func body(name: String = "new-store", cluster: String = Demo.spareCluster, anchor: String = anchor,
                      password: String = Demo.sparePassword) -> JSONValue {
                .fields(["CustomKeyStoreName": name.json, "CloudHsmClusterId": cluster.json,
                         "TrustAnchorCertificate": anchor.json, "KeyStorePassword": password.json])
            }
            try await server.fails("CreateCustomKeyStore", body(name: "payments-prod"), with: "CustomKeyStoreNameInUseException")
            try await server.fails("CreateCustomKeyStore", body(cluster: Demo.paymentsCluster, anchor: otherAnchor),
                                   with: "CloudHsmClusterInUseException")
            try await server.fails("CreateCustomKeyStore", body(anchor: otherAnchor), with: "IncorrectTrustAnchorException")
            try await server.fails("CreateCustomKeyStore", body(cluster: "cluster-abcdefghijk"), with: "CloudHsmClusterNotFoundException")
            try await server.fails("CreateCustomKeyStore", body(cluster: Demo.uninitializedCluster), with: "CloudHsmClusterNotActiveException")
            let pattern = try await server.fails("CreateCustomKeyStore", body(cluster: "cluster-1111111111111"), with: "ValidationException")
            #expect(pattern.message?.contains("regular expression pattern: cluster-[2-7a-zA-Z]{11,16}") == true)
            let password = try await server.fails("CreateCustomKeyStore", body(password: "short"), with: "ValidationException")
            #expect(password.message?.contains("'keyStorePassword'") == true)
            #expect(password.message?.contains("short") == false)
            try await server.fails("CreateCustomKeyStore", .fields(["CustomKeyStoreName": "x".json]), with: "ValidationException")
            let missing = try await server.fails("CreateCustomKeyStore", .object([]), with: "ValidationException")
            #expect(missing.message == "1 validation error detected: Value null at 'customKeyStoreName' failed to satisfy constraint: Member must not be null")
            let external = try await server.fails("CreateCustomKeyStore",
                                                  .fields(["CustomKeyStoreName": "xks".json, "CustomKeyStoreType": "EXTERNAL_KEY_STORE".json]),
                                                  with: "ValidationException")
            #expect(external.message?.contains("missing: XksProxyConnectivity, XksProxyUriEndpoint, XksProxyUriPath, XksProxyAuthenticationCredential") == true)
            try await server.fails("CreateCustomKeyStore",
                                   .fields(["CustomKeyStoreName": "x".json, "CustomKeyStoreType": "SOMETHING".json]),
                                   with: "ValidationException")
            var withProxy = body()
            if case var .object(fields) = withProxy {
                fields.append(("XksProxyUriPath", "/kms/xks/v1".json))
                withProxy = .object(fields)
            }
            try await server.fails("CreateCustomKeyStore", withProxy, with: "ValidationException")
        }
    }

    @Test("ConnectCustomKeyStore returns {} and the store goes CONNECTING, then CONNECTED")
    func connect() async throws {
        try await withServer { server async throws in
            let connect = try await server.ok("ConnectCustomKeyStore", .fields(["CustomKeyStoreId": Demo.ledger.json]))
            #expect(connect == .object([]))
            #expect(try await server.connectionState(Demo.ledger) == "CONNECTED")
            // Connect on a CONNECTED store changes nothing (spec section 8.2).
            try await server.ok("ConnectCustomKeyStore", .fields(["CustomKeyStoreId": Demo.ledger.json]))
            // A FAILED store must be disconnected first.
            let failed = try await server.fails("ConnectCustomKeyStore", .fields(["CustomKeyStoreId": Demo.tokenization.json]),
                                                with: "CustomKeyStoreInvalidStateException")
            #expect(failed.message?.contains("Disconnect it first") == true)
            try await server.fails("ConnectCustomKeyStore", .fields(["CustomKeyStoreId": "cks-00000000000000000".json]),
                                   with: "CustomKeyStoreNotFoundException")
            try await server.fails("ConnectCustomKeyStore", .object([]), with: "ValidationException")
        }
    }

    @Test("A connect that breaks ends FAILED with the ConnectionErrorCode")
    func connectFails() async throws {
        try await withServer { server async throws in
            let id = try await server.createSpareStore()
            let cluster = try #require(try await server.service.clusters().first { $0.id == Demo.spareCluster })
            let subnet = try #require(cluster.subnets.first)
            try await server.service.apply(.fillSubnet(subnetId: subnet.id))
            try await server.ok("ConnectCustomKeyStore", .fields(["CustomKeyStoreId": id.json]))
            let answer = try await server.ok("DescribeCustomKeyStores", .fields(["CustomKeyStoreId": id.json]))
            let store = try #require(answer["CustomKeyStores"]?.arrayValue?.first)
            #expect(store["ConnectionState"]?.stringValue == "FAILED")
            #expect(store["ConnectionErrorCode"]?.stringValue == "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET")
        }
    }

    @Test("DisconnectCustomKeyStore: {} then DISCONNECTED; refused on a DISCONNECTED store")
    func disconnect() async throws {
        try await withServer { server async throws in
            try await server.ok("DisconnectCustomKeyStore", .fields(["CustomKeyStoreId": Demo.payments.json]))
            #expect(try await server.connectionState(Demo.payments) == "DISCONNECTED")
            try await server.fails("DisconnectCustomKeyStore", .fields(["CustomKeyStoreId": Demo.payments.json]),
                                   with: "CustomKeyStoreInvalidStateException")
            try await server.ok("DisconnectCustomKeyStore", .fields(["CustomKeyStoreId": Demo.tokenization.json]))
        }
    }

    @Test("UpdateCustomKeyStore: rename while CONNECTED, other changes only while DISCONNECTED")
    func update() async throws {
        try await withServer { server async throws in
            try await server.ok("UpdateCustomKeyStore", .fields(["CustomKeyStoreId": Demo.payments.json,
                                                                 "NewCustomKeyStoreName": "payments-renamed".json]))
            let renamed = try await server.ok("DescribeCustomKeyStores", .fields(["CustomKeyStoreName": "payments-renamed".json]))
            #expect(renamed["CustomKeyStores"]?.arrayValue?.first?["CustomKeyStoreId"]?.stringValue == Demo.payments)
            try await server.fails("UpdateCustomKeyStore", .fields(["CustomKeyStoreId": Demo.payments.json,
                                                                    "KeyStorePassword": "NewPassword1".json]),
                                   with: "CustomKeyStoreInvalidStateException")
            try await server.fails("UpdateCustomKeyStore", .fields(["CustomKeyStoreId": Demo.ledger.json,
                                                                    "NewCustomKeyStoreName": "payments-renamed".json]),
                                   with: "CustomKeyStoreNameInUseException")
            try await server.ok("UpdateCustomKeyStore", .fields(["CustomKeyStoreId": Demo.ledger.json,
                                                                 "KeyStorePassword": "LedgerArchive9".json]))
            try await server.fails("UpdateCustomKeyStore", .fields(["CustomKeyStoreId": Demo.ledger.json,
                                                                    "CloudHsmClusterId": Demo.spareCluster.json]),
                                   with: "CloudHsmClusterNotRelatedException")
            try await server.fails("UpdateCustomKeyStore", .fields(["CustomKeyStoreId": Demo.ledger.json,
                                                                    "XksProxyUriPath": "/kms/xks".json]),
                                   with: "ValidationException")
            let wrongType = try await server.fails("UpdateCustomKeyStore", .fields(["CustomKeyStoreId": Demo.ledger.json,
                                                                                    "XksProxyUriPath": "/kms/xks/v1".json]),
                                                   with: "ValidationException")
            #expect(wrongType.message?.contains("apply only to external key stores") == true)
            try await server.fails("UpdateCustomKeyStore", .fields(["NewCustomKeyStoreName": "x".json]), with: "ValidationException")
        }
    }

    @Test("DeleteCustomKeyStore: only DISCONNECTED stores without keys")
    func delete() async throws {
        try await withServer { server async throws in
            try await server.fails("DeleteCustomKeyStore", .fields(["CustomKeyStoreId": Demo.payments.json]),
                                   with: "CustomKeyStoreInvalidStateException")
            try await server.fails("DeleteCustomKeyStore", .fields(["CustomKeyStoreId": Demo.ledger.json]),
                                   with: "CustomKeyStoreHasCMKsException")
            let id = try await server.createSpareStore()
            #expect(try await server.ok("DeleteCustomKeyStore", .fields(["CustomKeyStoreId": id.json])) == .object([]))
            try await server.fails("DescribeCustomKeyStores", .fields(["CustomKeyStoreId": id.json]), with: "CustomKeyStoreNotFoundException")
        }
    }
}
