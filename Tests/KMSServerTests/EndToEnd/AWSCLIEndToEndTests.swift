import CKSTestSupport
import Foundation
import Testing

/// `cks serve` driven by the real aws CLI, as a user would. Skipped (with the reason) when `aws` is missing;
/// CI installs it.
@Suite("The aws CLI against cks serve", .enabled(if: Tools.aws != nil, "needs the aws CLI (pip install awscli)"))
struct AWSCLIEndToEndTests {
    @Test("A store's whole life: create, connect, CONNECTED, key, encrypt/decrypt, disconnect, Unavailable, FAILED")
    func storeLife() async throws {
        let server = try await ServeProcess()
        let scratch = server.home.appending(path: "scratch")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)

        // The trust anchor of the spare cluster, as a user gets it.
        let anchor = try await server.cks(["sim", "trust-anchor", "cluster-3sparecapac"])
        try #require(anchor.status == 0, "\(anchor)")
        let anchorFile = scratch.appending(path: "customerCA.crt")
        try anchor.stdout.write(to: anchorFile, atomically: true, encoding: .utf8)

        let created = try await server.awsJSON([
            "kms", "create-custom-key-store", "--custom-key-store-name", "e2e-store", "--cloud-hsm-cluster-id", "cluster-3sparecapac",
            "--trust-anchor-certificate", "file://\(anchorFile.path)", "--key-store-password", "SpareCluster1",
        ])
        let storeId = try #require(created["CustomKeyStoreId"] as? String)
        #expect(storeId.hasPrefix("cks-"))
        #expect(try await state(server, storeId).state == "DISCONNECTED")

        // Another process on the same world sees the new store.
        let list = try await server.cks(["list", "--output", "json"])
        #expect(list.stdout.contains(storeId), "\(list)")

        _ = try await server.awsJSON(["kms", "connect-custom-key-store", "--custom-key-store-id", storeId])
        try await waitFor("CONNECTED", server, storeId)

        let key = try await server.awsJSON(["kms", "create-key", "--custom-key-store-id", storeId, "--origin", "AWS_CLOUDHSM",
                                            "--description", "e2e key"])
        let metadata = try #require(key["KeyMetadata"] as? [String: Any])
        let keyId = try #require(metadata["KeyId"] as? String)
        #expect(metadata["CustomKeyStoreId"] as? String == storeId)
        #expect(metadata["Origin"] as? String == "AWS_CLOUDHSM")

        let plaintext = scratch.appending(path: "plain.txt")
        try Data("attack at dawn".utf8).write(to: plaintext)
        let encrypted = try await server.awsJSON(["kms", "encrypt", "--key-id", keyId, "--plaintext", "fileb://\(plaintext.path)",
                                                  "--encryption-context", "purpose=e2e"])
        let blobText = try #require(encrypted["CiphertextBlob"] as? String)
        let blob = try #require(Data(base64Encoded: blobText))
        let blobFile = scratch.appending(path: "blob.bin")
        try blob.write(to: blobFile)
        let decrypted = try await server.awsJSON(["kms", "decrypt", "--ciphertext-blob", "fileb://\(blobFile.path)",
                                                  "--encryption-context", "purpose=e2e"])
        let plaintextText = try #require(decrypted["Plaintext"] as? String)
        let text = try #require(Data(base64Encoded: plaintextText))
        #expect(String(decoding: text, as: UTF8.self) == "attack at dawn")

        _ = try await server.awsJSON(["kms", "disconnect-custom-key-store", "--custom-key-store-id", storeId])
        try await waitFor("DISCONNECTED", server, storeId)
        let refused = try await server.aws(["kms", "encrypt", "--key-id", keyId, "--plaintext", "fileb://\(plaintext.path)"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("(KMSInvalidStateException)"), "\(refused)")
        #expect(refused.stderr.contains("key/\(keyId) is unavailable."), "\(refused)")
        let described = try await server.awsJSON(["kms", "describe-key", "--key-id", keyId])
        #expect((described["KeyMetadata"] as? [String: Any])?["KeyState"] as? String == "Unavailable")

        // Break the cluster with `cks sim`, then connect: FAILED with the right code.
        let clusters = try await server.awsJSON(["cloudhsmv2", "describe-clusters", "--filters", #"{"clusterIds":["cluster-3sparecapac"]}"#])
        let cluster = try #require((clusters["Clusters"] as? [[String: Any]])?.first)
        let subnet = try #require((cluster["SubnetMapping"] as? [String: String])?.values.sorted().first)
        let fault = try await server.cks(["sim", "fill-subnet", subnet])
        try #require(fault.status == 0, "\(fault)")
        _ = try await server.awsJSON(["kms", "connect-custom-key-store", "--custom-key-store-id", storeId])
        let failed = try await waitFor("FAILED", server, storeId)
        #expect(failed.code == "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET")
        _ = try await server.stop()
    }

    @Test("aws cloudhsmv2 describe-clusters lists the simulator's clusters")
    func describeClusters() async throws {
        let server = try await ServeProcess()
        let answer = try await server.awsJSON(["cloudhsmv2", "describe-clusters"])
        let ids = try #require(answer["Clusters"] as? [[String: Any]]).compactMap { $0["ClusterId"] as? String }
        #expect(ids.count == 9)
        #expect(ids.contains("cluster-3sparecapac"))
        let paged = try await server.awsJSON(["cloudhsmv2", "describe-clusters", "--page-size", "2"])
        #expect((paged["Clusters"] as? [[String: Any]])?.count == 9)
        _ = try await server.stop()
    }

    @Test("describe-custom-key-stores and list-keys walk every page with a small page size")
    func paging() async throws {
        let server = try await ServeProcess()
        let stores = try await server.awsJSON(["kms", "describe-custom-key-stores", "--page-size", "2"])
        #expect((stores["CustomKeyStores"] as? [[String: Any]])?.count == Demo.storeCount)
        let all = try await server.awsJSON(["kms", "list-keys"])
        let paged = try await server.awsJSON(["kms", "list-keys", "--page-size", "4"])
        let allKeys = try #require(all["Keys"] as? [[String: Any]])
        #expect(allKeys.count > 4)
        #expect((paged["Keys"] as? [[String: Any]])?.count == allKeys.count)
        _ = try await server.stop()
    }

    @Test("A wrong secret or an unknown access key is refused; --credentials sets the pair")
    func refusals() async throws {
        let server = try await ServeProcess(arguments: ["--credentials", "AKIAE2ETESTCREDS0001:e2e/Secret+Key"])
        #expect(server.accessKeyId == "AKIAE2ETESTCREDS0001")
        let allowed = try await server.aws(["kms", "list-keys"])
        #expect(allowed.status == 0, "\(allowed)")
        let wrongSecret = try await server.aws(["kms", "list-keys"], secretAccessKey: "wrong")
        #expect(wrongSecret.stderr.contains("(InvalidSignatureException)"), "\(wrongSecret)")
        let stranger = try await server.aws(["kms", "list-keys"], accessKeyId: "AKIASTRANGER00000000")
        #expect(stranger.stderr.contains("(UnrecognizedClientException)"), "\(stranger)")
        _ = try await server.stop()
    }

    @discardableResult
    private func waitFor(_ wanted: String, _ server: ServeProcess, _ storeId: String) async throws -> (state: String, code: String?) {
        try await CKSTestSupport.poll("store \(storeId) to be \(wanted)", bound: .testWaitBound, every: .milliseconds(100)) {
            let now = try await state(server, storeId)
            return now.state == wanted ? now : nil
        }
    }

    private func state(_ server: ServeProcess, _ storeId: String) async throws -> (state: String, code: String?) {
        let answer = try await server.awsJSON(["kms", "describe-custom-key-stores", "--custom-key-store-id", storeId])
        let store = try #require((answer["CustomKeyStores"] as? [[String: Any]])?.first)
        return (store["ConnectionState"] as? String ?? "?", store["ConnectionErrorCode"] as? String)
    }
}
