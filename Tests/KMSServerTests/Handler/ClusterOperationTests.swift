import Foundation
import KeyStoreEngine
import Testing

@Suite("CloudHSMv2 DescribeClusters on the same endpoint")
struct ClusterOperationTests {
    func describe(_ server: ServerFixture, _ body: JSONValue = .object([])) async throws -> Answer {
        try await server.send(server.request(target: "BaldrApiService.DescribeClusters", body: body.compact, signingName: "cloudhsm"))
    }

    @Test("Every cluster, as DescribeClusters returns it")
    func all() async throws {
        try await withServer { server async throws in
            let answer = try await describe(server)
            #expect(answer.status == 200)
            let clusters = try #require(answer["Clusters"]?.arrayValue)
            #expect(clusters.count == Demo.clusterCount)
            #expect(answer["NextToken"] == nil)
            let spare = try #require(clusters.first { $0["ClusterId"]?.stringValue == Demo.spareCluster })
            #expect(spare["State"]?.stringValue == "ACTIVE")
            #expect(spare["Hsms"]?.arrayValue?.count == 2)
            #expect(spare["SubnetMapping"]?.objectValue?.count == 3)
        }
    }

    @Test("Filters clusterIds, states and vpcIds")
    func filters() async throws {
        try await withServer { server async throws in
            let byId = try await describe(server, .fields(["Filters": .fields(["clusterIds": .array([Demo.spareCluster.json])])]))
            #expect(byId["Clusters"]?.arrayValue?.map { $0["ClusterId"]?.stringValue } == [Demo.spareCluster])
            let byState = try await describe(server, .fields(["Filters": .fields(["states": .array(["UNINITIALIZED".json])])]))
            #expect(byState["Clusters"]?.arrayValue?.map { $0["ClusterId"]?.stringValue } == [Demo.uninitializedCluster])
            let vpc = try #require(byId["Clusters"]?.arrayValue?.first?["VpcId"]?.stringValue)
            let byVpc = try await describe(server, .fields(["Filters": .fields(["vpcIds": .array([vpc.json])])]))
            #expect(byVpc["Clusters"]?.arrayValue?.count == 1)
            let bad = try await describe(server, .fields(["Filters": .fields(["colour": .array(["red".json])])]))
            #expect(bad.type == "CloudHsmInvalidRequestException")
            let wrongType = try await describe(server, .fields(["Filters": .fields(["states": "ACTIVE".json])]))
            #expect(wrongType.type == "SerializationException")
        }
    }

    @Test("MaxResults and NextToken page through the clusters")
    func pages() async throws {
        try await withServer { server async throws in
            var seen: [String] = []
            var token: String?
            var pages = 0
            repeat {
                var body: [(String, JSONValue)] = [("MaxResults", .integer(4))]
                if let token { body.append(("NextToken", token.json)) }
                let page = try await describe(server, .object(body))
                #expect(page.status == 200)
                seen += page["Clusters"]?.arrayValue?.compactMap { $0["ClusterId"]?.stringValue } ?? []
                token = page["NextToken"]?.stringValue
                pages += 1
            } while token != nil && pages < 10
            #expect(pages == 3)
            #expect(seen.count == Demo.clusterCount && Set(seen).count == Demo.clusterCount)
            #expect(try await describe(server, .fields(["MaxResults": .integer(26)])).type == "ValidationException")
            #expect(try await describe(server, .fields(["NextToken": "bogus".json])).type == "CloudHsmInvalidRequestException")
        }
    }

    @Test("A CloudHSMv2 call signed for kms (or a KMS call signed for cloudhsm) is refused")
    func signingName() async throws {
        try await withServer { server async throws in
            let wrongScope = try await server.send(server.request(target: "BaldrApiService.DescribeClusters", body: "{}", signingName: "kms"))
            #expect(wrongScope.type == "InvalidSignatureException")
            #expect(wrongScope.message?.contains("'cloudhsm'") == true)
            let kmsAsCloudHSM = try await server.send(server.request(target: "TrentService.ListKeys", body: "{}", signingName: "cloudhsm"))
            #expect(kmsAsCloudHSM.type == "InvalidSignatureException")
            let unknown = try await server.send(server.request(target: "BaldrApiService.CreateCluster", body: "{}", signingName: "cloudhsm"))
            #expect(unknown.type == "UnknownOperationException")
        }
    }
}
