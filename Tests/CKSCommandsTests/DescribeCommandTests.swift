import CKSTestSupport
import Foundation
import KeyStoreEngine
import Testing

/// `cks describe STORE`: one store whole (settings, state, the catalogue's fix when FAILED, the last connect or
/// disconnect, the proxy's health, the keys), by ID or name; `--output json` as `aws kms describe-custom-key-stores`.
@Suite("cks describe")
struct DescribeCommandTests {
    static let orders = (id: "cks-8192a3b4c5d6e7f80", name: "orders-xks", secret: "oYvJ5QphXS/sL9lQzWS6kZbQBKsZJMk44fPoh2ZrpHI=")
    static let crm = (id: "cks-92a3b4c5d6e7f8091", name: "crm-xks-vpc", secret: "T7c2x+uXXauPEn9skbqqDrVo/EnbLW/DOh+9JziTego=")

    /// How many keys `cks keys` lists for a store.
    static func keyCount(_ store: String, in world: TestWorld) async throws -> Int {
        try #require(try await world.json("keys", store, "--output", "json")["Keys"] as? [Any]).count
    }

    @Test("a FAILED store: its code with the catalogue's meaning, cause and fix with its IDs, the failed connect, its keys")
    func failedCloudHSMStore() async throws {
        let world = try TestWorld()
        try await world.seed()
        let store = Demo.tokenizationVault
        let result = try await world.run("describe", store.name)
        expectSuccess(result)
        let text = result.stdout
        let entry = try #require(TroubleshootingCatalogue.standard.entry(for: .invalidCredentials, storeType: .awsCloudHSM))
        for needle in ["\(store.name)  \(store.id)", "AWS CloudHSM key store (AWS_CLOUDHSM)", "FAILED (INVALID_CREDENTIALS)",
                       "Why it is FAILED: INVALID_CREDENTIALS", entry.title, "What it means: \(entry.meaning)",
                       "Likely cause:  \(entry.likelyCause)", "How to fix it:", "cks sim reset-kmsuser \(store.cluster) --password",
                       "cks disconnect \(store.id) --wait", "Cluster ID        \(store.cluster)", "Trust anchor      CN=customerCA",
                       "Last connect", "Log in as kmsuser: INVALID_CREDENTIALS", "→ ✗ FAILED (INVALID_CREDENTIALS)",
                       "KMS keys          \(try await Self.keyCount(store.id, in: world)) ("] {
            #expect(text.contains(needle), "\(needle)\n\(result)")
        }
        #expect(text.contains("    \(entry.fixSteps.count). "), "every step of the fix, numbered: \(result)")
        #expect(!text.contains(store.password), "never a secret: \(result)")
    }

    @Test("by name or ID the same; --output json exactly as describe-custom-key-stores prints the store")
    func idNameAndJSON() async throws {
        let world = try TestWorld()
        try await world.seed()
        let byName = try await world.run("describe", Demo.paymentsProd.name)
        let byId = try await world.run("describe", Demo.paymentsProd.id)
        expectSuccess(byName)
        #expect(byName.stdout == byId.stdout, "\(byName)\n\(byId)")
        #expect(byName.stdout.contains("● CONNECTED") && byName.stdout.contains("Last connect"), "\(byName)")
        #expect(!byName.stdout.contains("Why it is FAILED"), "\(byName)")

        let json = try await world.run("describe", Self.orders.name, "--output", "json")
        let list = try await world.run("list", "--id", Self.orders.id, "--output", "json")
        expectSuccess(json)
        #expect(json.stdout == list.stdout, "\(json)\n\(list)")
        #expect(!json.stdout.contains(Self.orders.secret) && !json.stdout.contains("RawSecretAccessKey"), "\(json)")
    }

    @Test("an external key store: its proxy configuration without the secret, and its proxy's last health answer")
    func externalKeyStore() async throws {
        let world = try TestWorld()
        try await world.seed()
        let before = try await world.run("describe", Self.crm.name)
        expectSuccess(before)
        for needle in ["External key store (EXTERNAL_KEY_STORE)", "○ DISCONNECTED", "VPC endpoint service (VPC_ENDPOINT_SERVICE)",
                       "URI endpoint      https://xks.crm.example.com", "Access key ID     CRMPROXYCREDENTIALVPC2",
                       "(KMS never returns the secret)", "Endpoint service  com.amazonaws.vpce.", "No health check yet"] {
            #expect(before.stdout.contains(needle), "\(needle)\n\(before)")
        }
        expectSuccess(try await world.run("connect", Self.crm.name, "--wait"))
        let after = try await world.run("describe", Self.crm.id)
        expectSuccess(after)
        for needle in ["● CONNECTED", "Proxy health", "ConnectCustomKeyStore", "Answer            ✓ answered", "Key manager",
                       "Last connect", "✓ Send GetHealthStatus to the proxy"] {
            #expect(after.stdout.contains(needle), "\(needle)\n\(after)")
        }
        #expect(!after.stdout.contains(Self.crm.secret), "\(after)")
    }

    @Test("an unknown store: exit status 1, what exists and what to do")
    func unknownStore() async throws {
        let world = try TestWorld()
        try await world.seed()
        let near = try await world.run("describe", "payments")
        expectKMSError(near, "CustomKeyStoreNotFoundException",
                       mentioning: ["No custom key store has the ID or name payments", "Did you mean payments-prod (\(Demo.paymentsProd.id))?",
                                    "`cks list` shows them all"])
        #expect(near.stdout.isEmpty, "\(near)")
        let far = try await world.run("describe", "cks-0000000000000000")
        expectKMSError(far, "CustomKeyStoreNotFoundException", mentioning: ["The stores here: ", "analytics-warehouse", "and 4 more."])
        let missing = try await world.run("describe")
        #expect(missing.status == 2 && missing.stderr.contains("Missing expected argument '<store>'"), "\(missing)")
    }

    @Test("--backend aws, against cks serve: the store, its fix and keys; what the AWS backend cannot give, said")
    func overTheAWSBackend() async throws {
        let world = try TestWorld()
        try await world.seed()
        let (serve, url, aws) = try await world.startServeForAWSBackend()
        let store = Demo.tokenizationVault
        let failed = try await world.run(["describe", store.name, "--backend", "aws", "--endpoint-url", url], environment: aws)
        expectSuccess(failed)
        for needle in ["FAILED (INVALID_CREDENTIALS)", "How to fix it:", "cks disconnect \(store.id) --wait",
                       "KMS keys          \(try await Self.keyCount(store.id, in: world)) (", "KMS keeps no history of connects"] {
            #expect(failed.stdout.contains(needle), "\(needle)\n\(failed)")
        }
        let external = try await world.run(["describe", Self.orders.id, "--backend", "aws", "--endpoint-url", url], environment: aws)
        expectSuccess(external)
        #expect(external.stdout.contains("This backend does not report proxy health"), "\(external)")
        let unknown = try await world.run(["describe", "nosuch", "--backend", "aws", "--endpoint-url", url], environment: aws)
        expectKMSError(unknown, "CustomKeyStoreNotFoundException", mentioning: ["The stores here: "])
        serve.send(SIGINT)
        _ = try await serve.finish(bound: .testWaitBound)
    }
}
