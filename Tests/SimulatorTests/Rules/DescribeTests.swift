import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// DescribeCustomKeyStores: filters, errors and pagination (spec 1.1, 1.3, 8.6).
@Suite("DescribeCustomKeyStores")
struct DescribeTests {
    @Test("The demo world: 10 stores with the states and error codes of assets/demo-world.json")
    func demoWorld() async throws {
        let world = try World()
        defer { world.remove() }
        let stores = try await world.service.allKeyStores()
        let summary = Dictionary(uniqueKeysWithValues: stores.map { ($0.id, "\($0.connectionState.rawValue) \($0.connectionErrorCode?.rawValue ?? "-")") })
        #expect(summary == [
            Demo.payments: "CONNECTED -", Demo.analytics: "CONNECTED -", Demo.ledger: "DISCONNECTED -", Demo.hr: "DISCONNECTED -",
            Demo.tokenization: "FAILED INVALID_CREDENTIALS", Demo.signing: "FAILED INSUFFICIENT_CLOUDHSM_HSMS",
            Demo.partner: "FAILED USER_LOGGED_IN",
            Demo.ordersXKS: "CONNECTED -", Demo.crmXKSVPC: "DISCONNECTED -", Demo.billingXKS: "FAILED XKS_PROXY_NOT_REACHABLE",
        ])
        #expect(try await world.service.clusters().count == 9)
        // The API entry: ConnectionErrorCode only when FAILED, CreationDate in epoch seconds.
        let failed = try #require(stores.first { $0.id == Demo.tokenization }).apiJSON
        #expect(failed["ConnectionErrorCode"]?.stringValue == "INVALID_CREDENTIALS")
        let connected = try #require(stores.first { $0.id == Demo.payments }).apiJSON
        #expect(connected["ConnectionErrorCode"] == nil)
        #expect(connected["CreationDate"]?.doubleValue != nil)
    }

    @Test("Filter by ID or by name returns that store alone")
    func filters() async throws {
        let world = try World()
        defer { world.remove() }
        let byId = try await world.service.describeKeyStores(DescribeKeyStoresRequest(customKeyStoreId: Demo.hr))
        #expect(byId.keyStores.map(\.name) == ["hr-records"])
        #expect(byId.nextMarker == nil && !byId.truncated)
        let byName = try await world.service.describeKeyStores(DescribeKeyStoresRequest(customKeyStoreName: "hr-records"))
        #expect(byName.keyStores.map(\.id) == [Demo.hr])
    }

    @Test("Both CustomKeyStoreId and CustomKeyStoreName is ValidationException (spec 8.6)")
    func bothFilters() async throws {
        let world = try World()
        defer { world.remove() }
        await expectKMSError(.validation, "CustomKeyStoreId", "CustomKeyStoreName") {
            try await world.service.describeKeyStores(DescribeKeyStoresRequest(customKeyStoreId: Demo.hr, customKeyStoreName: "hr-records"))
        }
    }

    @Test("An unknown ID or name is CustomKeyStoreNotFoundException")
    func unknown() async throws {
        let world = try World()
        defer { world.remove() }
        await expectKMSError(.customKeyStoreNotFound, "cks-0000000000000000f") {
            try await world.service.describeKeyStores(DescribeKeyStoresRequest(customKeyStoreId: "cks-0000000000000000f"))
        }
        await expectKMSError(.customKeyStoreNotFound, "no-such-store") {
            try await world.service.describeKeyStores(DescribeKeyStoresRequest(customKeyStoreName: "no-such-store"))
        }
    }

    @Test("Limit pages through every store in CreationDate-then-ID order", arguments: [1, 2, 3, 6, 7, 1000])
    func pagination(limit: Int) async throws {
        let world = try World()
        defer { world.remove() }
        // Three stores made at the same instant: their order is decided by ID.
        let spec = WorldSpec.healthyClusters(3)
        let tied = try World(seed: try spec.demoWorld)
        defer { tied.remove() }
        for (index, cluster) in spec.clusters.enumerated() {
            _ = try await tied.service.createKeyStore(CreateKeyStoreRequest(
                name: "tied-\(index)", cloudHsmClusterId: cluster.id, trustAnchorCertificate: spec.trustAnchors[cluster.lineage] ?? "",
                keyStorePassword: "Password\(index)x"))
        }

        for subject in [world, tied] {
            var pages: [KeyStorePage] = []
            var marker: String?
            repeat {
                let page = try await subject.service.describeKeyStores(DescribeKeyStoresRequest(limit: limit, marker: marker))
                pages.append(page)
                marker = page.nextMarker
                try #require(pages.count <= 20, "pagination does not end")
            } while marker != nil
            let all = pages.flatMap(\.keyStores)
            let expected = all.sorted { ($0.creationDate, $0.id) < ($1.creationDate, $1.id) }
            #expect(all.map(\.id) == expected.map(\.id))
            #expect(Set(all.map(\.id)).count == all.count, "no store twice")
            let total = subject === world ? Demo.storeCount : 3
            #expect(all.count == total)
            #expect(pages.count == max(1, (total + limit - 1) / limit))
            for page in pages.dropLast() {
                #expect(page.keyStores.count == limit)
                #expect(page.truncated)
            }
            #expect(pages.last?.truncated == false)
            #expect(pages.last?.nextMarker == nil)
        }
        #expect(try await world.service.allKeyStores().map(\.id)
            == [Demo.payments, Demo.analytics, Demo.ledger, Demo.hr, Demo.tokenization, Demo.signing, Demo.partner,
                Demo.ordersXKS, Demo.billingXKS, Demo.crmXKSVPC])
    }

    @Test("A forged marker is InvalidMarkerException", arguments: [
        "garbage", Data("v1|abc|cks-1".utf8).base64EncodedString(), Data("v2|1.0|cks-1".utf8).base64EncodedString(), "bm90LWEtbWFya2Vy",
    ])
    func forgedMarker(marker: String) async throws {
        let world = try World()
        defer { world.remove() }
        await expectKMSError(.invalidMarker) {
            try await world.service.describeKeyStores(DescribeKeyStoresRequest(limit: 2, marker: marker))
        }
    }

    @Test("Limit outside 1...1000 is ValidationException", arguments: [0, -1, 1001])
    func limitRange(limit: Int) async throws {
        let world = try World()
        defer { world.remove() }
        await expectKMSError(.validation, "limit", "1000") {
            try await world.service.describeKeyStores(DescribeKeyStoresRequest(limit: limit))
        }
    }

    @Test("A marker stays valid while stores are added after it")
    func markerAfterChanges() async throws {
        let world = try World()
        defer { world.remove() }
        let first = try await world.service.describeKeyStores(DescribeKeyStoresRequest(limit: 4))
        try await world.advance(1)
        let id = try await world.createSpareStore()
        let rest = try await world.service.describeKeyStores(DescribeKeyStoresRequest(limit: 10, marker: first.nextMarker))
        #expect(rest.keyStores.map(\.id) == [Demo.tokenization, Demo.signing, Demo.partner, Demo.ordersXKS, Demo.billingXKS, Demo.crmXKSVPC, id])
        #expect(!rest.truncated)
    }
}
