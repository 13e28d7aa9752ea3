import Foundation
import Testing

/// The external key store options of `cks create`, `cks update`, `cks list` and `cks create-key`, and
/// `cks xks-proxy config`: what the CLI refuses before any call, and that no secret is ever printed.
/// (What the options send is checked in KMSServerTests' XKSClientsOnDoubleTests, over `--backend aws`.)
@Suite("cks create --type external and the other XKS options")
struct XKSCommandTests {
    static let accessKeyId = "BETWEEN2AND7ANDATOZABC"
    static let secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0x"

    static func expectUsage(_ result: CommandResult, mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 2 && !result.killedBySignal, "\(result)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(result.stderr.contains(fragment), "stderr lacks \"\(fragment)\": \(result)", sourceLocation: sourceLocation)
        }
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "the secret was printed: \(result)",
                sourceLocation: sourceLocation)
    }

    @Test("create refuses mixed or missing options of each store type, naming what to give")
    func createUsage() async throws {
        let world = try TestWorld()
        let external = ["create", "--type", "external", "--name", "x"]
        Self.expectUsage(try await world.run(external), mentioning: ["--endpoint https://HOST", "--path", "--access-key-id"])
        Self.expectUsage(try await world.run(external + ["--endpoint", "https://xks.example.com", "--path", "/kms/xks/v1",
                                                         "--secret", Self.secret]),
                         mentioning: ["needs both parts", "--access-key-id"])
        Self.expectUsage(try await world.run(external + ["--endpoint", "https://xks.example.com", "--path", "/kms/xks/v1",
                                                         "--access-key-id", Self.accessKeyId]),
                         mentioning: ["needs both parts", "--secret-file"])
        let secretFile = world.scratchFile("secret")
        try Data(Self.secret.utf8).write(to: secretFile)
        Self.expectUsage(try await world.run(external + ["--endpoint", "https://xks.example.com", "--path", "/kms/xks/v1",
                                                         "--access-key-id", Self.accessKeyId, "--secret", Self.secret,
                                                         "--secret-file", secretFile.path]),
                         mentioning: ["--secret or --secret-file, not both"])
        Self.expectUsage(try await world.run(external + ["--endpoint", "https://xks.example.com", "--cluster-id", "cluster-3sparecapac"]),
                         mentioning: ["--cluster-id apply to AWS CloudHSM key stores"])
        Self.expectUsage(try await world.run(["create", "--name", "x", "--endpoint", "https://xks.example.com"]),
                         mentioning: ["--endpoint apply to external key stores: add --type external"])
        Self.expectUsage(try await world.run(["create", "--name", "x"]),
                         mentioning: ["--cluster-id, --trust-anchor-certificate, --password", "--type external"])
        Self.expectUsage(try await world.run(["create", "--name", "x", "--type", "xks"]), mentioning: ["cloudhsm", "external"])
        Self.expectUsage(try await world.run(external + ["--endpoint", "https://xks.example.com", "--proxy-config", "/nonexistent/file.json"]),
                         mentioning: ["Cannot read the proxy configuration file /nonexistent/file.json", "cks xks-proxy config"])
        Self.expectUsage(try await world.run(external + ["--endpoint", "https://xks.example.com", "--secret-file", "/nonexistent/secret",
                                                         "--access-key-id", Self.accessKeyId, "--path", "/kms/xks/v1"]),
                         mentioning: ["Cannot read the secret file /nonexistent/secret"])
    }

    @Test("a proxy configuration file: read whole, refused when incomplete or when options say the same")
    func proxyConfigurationFile() async throws {
        let world = try TestWorld()
        let partial = world.scratchFile("partial.json")
        try Data(#"{"XksProxyUriPath": "/kms/xks/v1", "XksProxyAuthenticationCredential": {"AccessKeyId": "\#(Self.accessKeyId)"}}"#.utf8)
            .write(to: partial)
        let external = ["create", "--type", "external", "--name", "x", "--endpoint", "https://xks.example.com"]
        Self.expectUsage(try await world.run(external + ["--proxy-config", partial.path]), mentioning: ["lacks RawSecretAccessKey"])
        let garbage = world.scratchFile("garbage.json")
        try Data("XksProxyUriPath=/kms/xks/v1".utf8).write(to: garbage)
        Self.expectUsage(try await world.run(external + ["--proxy-config", garbage.path]), mentioning: ["is not JSON"])
        let full = world.scratchFile("full.json")
        try Data(#"{"XksProxyUriPath": "/kms/xks/v1", "XksProxyAuthenticationCredential": {"AccessKeyId": "\#(Self.accessKeyId)", "RawSecretAccessKey": "\#(Self.secret)"}}"#.utf8)
            .write(to: full)
        Self.expectUsage(try await world.run(external + ["--proxy-config", full.path, "--path", "/other/kms/xks/v1"]),
                         mentioning: ["--path and --proxy-config both give"])
        // The world's store lookup comes after the options are read: an unknown store is a KMS error, not a usage one.
        let update = try await world.run(["update", "no-such-store", "--proxy-config", full.path])
        expectKMSError(update, "CustomKeyStoreNotFoundException")
        #expect(!update.stderr.contains(Self.secret))
    }

    @Test("update, list and create-key: the XKS options against CloudHSM stores of the demo world")
    func demoWorld() async throws {
        let world = try TestWorld()
        try await world.seed()
        Self.expectUsage(try await world.run(["update", Demo.paymentsProd.name, "--path", "/x/kms/xks/v1"]),
                         mentioning: ["payments-prod is an AWS CloudHSM key store: --path apply only to external key stores"])
        Self.expectUsage(try await world.run(["update", Demo.paymentsProd.name]), mentioning: ["Give at least one change", "--proxy-config"])
        Self.expectUsage(try await world.run(["create-key", Demo.paymentsProd.name, "--xks-key-id", "k1"]),
                         mentioning: ["--xks-key-id applies only to external key stores"])
        let cloudHSM = try await world.json("list", "--type", "cloudhsm", "--output", "json")
        let all = try await world.json("list", "--output", "json")
        let allStores = try #require(all["CustomKeyStores"] as? [[String: Any]])
        let cloudHSMStores = try #require(cloudHSM["CustomKeyStores"] as? [[String: Any]])
        #expect(cloudHSMStores.count == allStores.filter { $0["CustomKeyStoreType"] as? String == "AWS_CLOUDHSM" }.count)
        #expect(cloudHSMStores.allSatisfy { $0["XksProxyConfiguration"] == nil })
        let external = try await world.json("list", "--type", "external", "--output", "json")
        let externalStores = try #require(external["CustomKeyStores"] as? [[String: Any]])
        #expect(externalStores.count == allStores.count - cloudHSMStores.count)
        #expect(externalStores.allSatisfy { $0["XksProxyConfiguration"] is [String: Any] && $0["CloudHsmClusterId"] == nil })
    }

    @Test("xks-proxy config prints the file init printed, and create reads it")
    func proxyConfig() async throws {
        let world = try TestWorld()
        let initialized = try await world.run("xks-proxy", "init", "--uri-path-prefix", "/team/a", "--output", "json")
        try #require(initialized.status == 0, "\(initialized)")
        let config = try await world.run("xks-proxy", "config")
        #expect(config.status == 0, "\(config)")
        #expect(config.stdout == initialized.stdout, "config prints the same file as init: \(config)")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(config.stdout.utf8)) as? [String: Any])
        #expect(file["XksProxyUriPath"] as? String == "/team/a/kms/xks/v1")
        let credential = try #require(file["XksProxyAuthenticationCredential"] as? [String: String])
        let rotated = try await world.run("xks-proxy", "rotate-credential", "--output", "json")
        try #require(rotated.status == 0, "\(rotated)")
        #expect(try await world.run("xks-proxy", "config").stdout == rotated.stdout, "the newest credential by default")
        let old = try await world.run("xks-proxy", "config", "--access-key-id", try #require(credential["AccessKeyId"]))
        #expect(old.stdout == initialized.stdout)
        let unknown = try await world.run("xks-proxy", "config", "--access-key-id", "NOSUCHKEYNOSUCHKEY22")
        #expect(unknown.status == 2 && unknown.stderr.contains("has no credential NOSUCHKEYNOSUCHKEY22"), "\(unknown)")
        let noProxy = try await TestWorld().run("xks-proxy", "config")
        #expect(noProxy.status == 2, "\(noProxy)")
    }

    @Test("an external key store on the simulator: create from the proxy's configuration file, list, connect, update while CONNECTED, keys")
    func lifecycle() async throws {
        let world = try TestWorld()
        try await world.seed()
        let initialized = try await world.run("xks-proxy", "init", "--uri-path-prefix", "/cli", "--output", "json")
        try #require(initialized.status == 0, "\(initialized)")
        let config = world.scratchFile("proxy-config.json")
        try Data(try await world.run("xks-proxy", "config", "--uri-path-prefix", "/cli").stdout.utf8).write(to: config)
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any])
        let secret = try #require((file["XksProxyAuthenticationCredential"] as? [String: String])?["RawSecretAccessKey"])
        expectSuccess(try await world.run("sim", "xks-route", "xks.cli.example.com", "embedded"))

        let created = try await world.json("create", "--type", "external", "--name", "cli-xks", "--endpoint", "https://xks.cli.example.com",
                                           "--proxy-config", config.path, "--output", "json")
        let id = try #require(created["CustomKeyStoreId"] as? String)
        let store = try await world.store(id)
        #expect(store["CustomKeyStoreType"] as? String == "EXTERNAL_KEY_STORE" && store["ConnectionState"] as? String == "DISCONNECTED")
        #expect((store["XksProxyConfiguration"] as? [String: String])?["UriPath"] == "/cli/kms/xks/v1")
        let table = try await world.run("list", "--type", "external")
        #expect(table.stdout.contains("cli-xks") && table.stdout.contains("Public endpoint") && table.stdout.contains("https://xks.cli.example.com"),
                "\(table)")

        let connect = try await world.run("connect", "cli-xks", "--wait")
        #expect(connect.status == 0 && connect.stdout.contains("proxy https://xks.cli.example.com/cli/kms/xks/v1"), "\(connect)")
        #expect(try await world.state(of: id).state == "CONNECTED")
        // While CONNECTED: a new credential (a second one of the proxy's store) is accepted, a new endpoint is not.
        let rotated = try await world.run("xks-proxy", "rotate-credential", "--uri-path-prefix", "/cli", "--output", "json")
        try #require(rotated.status == 0, "\(rotated)")
        let newConfig = world.scratchFile("proxy-config-2.json")
        try Data(rotated.stdout.utf8).write(to: newConfig)
        expectSuccess(try await world.run("update", "cli-xks", "--proxy-config", newConfig.path))
        let endpoint = try await world.run("update", "cli-xks", "--endpoint", "https://other.cli.example.com")
        expectKMSError(endpoint, "CustomKeyStoreInvalidStateException", mentioning: ["DISCONNECTED"])
        let wrongSecret = world.scratchFile("wrong-secret")
        try Data(String(repeating: "A", count: 44).utf8).write(to: wrongSecret)
        let refused = try await world.run("update", "cli-xks", "--access-key-id", "AAAAAAAAAAAAAAAAAAAAAA", "--secret-file", wrongSecret.path)
        expectKMSError(refused, "XksProxyIncorrectAuthenticationCredentialException")
        for result in [connect, endpoint, refused, table] {
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "the secret was printed: \(result)")
        }
        let password = try await world.run("update", "cli-xks", "--password", "NotForXKS1")
        Self.expectUsage(password, mentioning: ["cli-xks is an external key store"])
    }

    @Test("--help explains the external key store options")
    func help() async throws {
        let world = try TestWorld()
        let create = try await world.run("create", "--help")
        for fragment in ["--type <cloudhsm|external>", "--connectivity <public|vpc>", "--endpoint <https://host>", "--secret-file",
                         "--proxy-config", "cks xks-proxy config > proxy-config.json"] {
            #expect(create.stdout.contains(fragment), "create --help lacks \(fragment): \(create)")
        }
        let update = try await world.run("update", "--help")
        #expect(update.stdout.contains("only while DISCONNECTED") && update.stdout.contains("--path"), "\(update)")
        let createKey = try await world.run("create-key", "--help")
        #expect(createKey.stdout.contains("--xks-key-id"), "\(createKey)")
        let list = try await world.run("list", "--help")
        #expect(list.stdout.contains("--type <cloudhsm|external>"), "\(list)")
    }
}
