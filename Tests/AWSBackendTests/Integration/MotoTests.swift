import AWSBackend
import Foundation
import KeyStoreEngine
import Testing

/// Against moto's server (CI installs it). Skipped, with the reason, where moto_server is not on PATH.
@Suite("Against moto_server", .serialized,
       .enabled(if: MotoServer.executable != nil, "moto_server is not installed (pip install 'moto[server]'); CI installs it"))
struct MotoTests {
    @Test func listKeysAndDescribeKey() async throws {
        let moto = try await MotoServer.start()
        let raw = moto.client(.kms)
        var created: [String] = []
        for index in 1...3 {
            let answer = try await raw.call("CreateKey", .object([("Description", .string("moto key \(index)"))]))
            created.append(try #require(answer["KeyMetadata"]?["KeyId"]?.stringValue))
        }
        let kms = KMSClient(json: raw)
        // moto answers every key in one page whatever the Limit; paging itself is tested against the fake.
        let first = try await kms.listKeys(limit: 2)
        #expect(Set(first.keys.map(\.id)).isSubset(of: Set(created)))
        #expect(first.keys.allSatisfy { $0.arn.hasSuffix("key/\($0.id)") })
        #expect(try await kms.allKeyIds().sorted() == created.sorted())

        let key = try await kms.describeKey(created[1])
        #expect(key.id == created[1])
        #expect(key.description == "moto key 2")
        #expect(key.keyState == .enabled)
        #expect(key.arn.hasPrefix("arn:aws:kms:us-east-1:"))
        #expect(key.customKeyStoreId == nil)
        #expect(abs(key.creationDate.timeIntervalSinceNow) < 3600)

        // A store's keys are those whose KeyMetadata.CustomKeyStoreId matches: none of moto's.
        let service = moto.service()
        #expect(try await service.keys(inKeyStore: "cks-1234567890abcdef0").isEmpty)
        #expect(service.backend.accountId.count == 12, "learned from the ARNs")

        await #expect(throws: KMSError.self) { _ = try await kms.describeKey("00000000-0000-0000-0000-000000000000") }
        do {
            _ = try await kms.describeKey("00000000-0000-0000-0000-000000000000")
        } catch {
            #expect(error.code == .notFound, "\(error)")
        }
    }

    @Test func describeClusters() async throws {
        let moto = try await MotoServer.start()
        let raw = moto.client(.cloudHSMV2)
        let answer = try await raw.call("CreateCluster", .object([
            ("HsmType", .string("hsm1.medium")), ("SubnetIds", .array([.string("subnet-0a1b2c3d")])),
        ]))
        let clusterId = try #require(answer["Cluster"]?["ClusterId"]?.stringValue)
        let service = moto.service()
        let clusters = try await service.clusters()
        let cluster = try #require(clusters.first { $0.id == clusterId })
        #expect(cluster.state == .active)
        #expect(cluster.hsmType == "hsm1.medium")
        #expect(cluster.hsms.isEmpty)
        #expect(cluster.subnets.map(\.id) == ["subnet-0a1b2c3d"])
        #expect(cluster.vpcId.hasPrefix("vpc-"))
        #expect(abs(cluster.createTimestamp.timeIntervalSinceNow) < 3600, "moto's ISO timestamps are read too")

        let filtered = try await CloudHSMClient(json: raw).describeClusters(clusterIds: [clusterId])
        #expect(filtered.map(\.id) == [clusterId])
        #expect(try await CloudHSMClient(json: raw).describeClusters(clusterIds: ["cluster-nothere"]).isEmpty)
    }

    @Test func requestsAreSignedForTheRightService() async throws {
        // moto routes by the credential scope of the signature: kms requests reach KMS, cloudhsm ones CloudHSMv2.
        let moto = try await MotoServer.start()
        let service = moto.service(region: "eu-west-1")
        #expect(try await service.clusters().isEmpty)
        #expect(try await KMSClient(json: moto.client(.kms, region: "eu-west-1")).listKeys().keys.isEmpty)
    }
}
