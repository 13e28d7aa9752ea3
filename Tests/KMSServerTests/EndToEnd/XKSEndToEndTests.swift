import CKSTestSupport
import Foundation
import Testing

/// External key stores through a real `cks serve`, whose simulated KMS reaches the proxy over TLS: the world
/// routes the store's host to the embedded proxy (`cks sim xks-route HOST embedded`), whose logical key store
/// and keys are made with `cks xks-proxy`. Driven by the real aws CLI and by boto3.
@Suite("External key stores: the aws CLI and boto3 against cks serve")
struct XKSEndToEndTests {
    static let host = "xks.e2e.example.com"
    static let endpoint = "https://\(host)"

    /// A proxy with the logical key store `/e2e` and the key `e2e-key`, routed as `host`; returns the proxy
    /// configuration file (path and credential) as `cks xks-proxy config` prints it.
    static func prepareProxy(_ server: ServeProcess) async throws -> (file: URL, path: String, accessKeyId: String, secret: String) {
        let initialized = try await server.cks(["xks-proxy", "init", "--uri-path-prefix", "/e2e", "--output", "json"])
        try #require(initialized.status == 0, "\(initialized)")
        let key = try await server.cks(["xks-proxy", "create-key", "e2e-key", "--uri-path-prefix", "/e2e"])
        try #require(key.status == 0, "\(key)")
        let route = try await server.cks(["sim", "xks-route", host, "embedded"])
        try #require(route.status == 0, "\(route)")
        let config = try await server.cks(["xks-proxy", "config", "--uri-path-prefix", "/e2e"])
        try #require(config.status == 0, "\(config)")
        let file = server.home.appending(path: "proxy-config.json")
        try config.stdout.write(to: file, atomically: true, encoding: .utf8)
        let json = try config.json()
        let credential = try #require(json["XksProxyAuthenticationCredential"] as? [String: String])
        return (file, try #require(json["XksProxyUriPath"] as? String), try #require(credential["AccessKeyId"]),
                try #require(credential["RawSecretAccessKey"]))
    }

    /// aws CLI v1 fetches `https://…` parameters unless told not to (README).
    static func awsConfig(_ server: ServeProcess) throws -> [String: String] {
        let config = server.home.appending(path: "aws-config")
        try Data("[default]\ncli_follow_urlparam = false\n".utf8).write(to: config)
        var environment = server.clientEnvironment()
        environment["AWS_CONFIG_FILE"] = config.path
        return environment
    }

    static func aws(_ server: ServeProcess, _ arguments: [String]) async throws -> ProcessResult {
        let aws = try #require(Tools.aws)
        return try await Processes.run(aws, arguments + ["--endpoint-url", server.url, "--output", "json"], environment: try awsConfig(server))
    }

    static func awsJSON(_ server: ServeProcess, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONObject {
        let result = try await aws(server, arguments)
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result.stdout.isEmpty ? JSONObject([:]) : try result.json()
    }

    static func store(_ server: ServeProcess, _ id: String) async throws -> [String: Any] {
        let answer = try await awsJSON(server, ["kms", "describe-custom-key-stores", "--custom-key-store-id", id])
        return try #require((answer["CustomKeyStores"] as? [[String: Any]])?.first)
    }

    static func waitFor(_ wanted: String, _ server: ServeProcess, _ id: String) async throws {
        try await poll("\(id) to be \(wanted)", bound: .testWaitBound) { () async throws -> Bool? in
            try await store(server, id)["ConnectionState"] as? String == wanted ? true : nil
        }
    }

    @Test("aws kms: create an external key store, describe it, update it, connect it, refuse what KMS refuses, delete it",
          .enabled(if: Tools.aws != nil, "needs the aws CLI"))
    func storeLife() async throws {
        let server = try await ServeProcess()
        let proxy = try await Self.prepareProxy(server)
        let credentialFile = server.home.appending(path: "credential.json")
        try #"{"AccessKeyId": "\#(proxy.accessKeyId)", "RawSecretAccessKey": "\#(proxy.secret)"}"#.write(to: credentialFile, atomically: true, encoding: .utf8)
        let create = ["kms", "create-custom-key-store", "--custom-key-store-name", "e2e-xks", "--custom-key-store-type", "EXTERNAL_KEY_STORE",
                      "--xks-proxy-connectivity", "PUBLIC_ENDPOINT", "--xks-proxy-uri-endpoint", Self.endpoint,
                      "--xks-proxy-uri-path", proxy.path, "--xks-proxy-authentication-credential", "file://\(credentialFile.path)"]
        let created = try await Self.awsJSON(server, create)
        let id = try #require(created["CustomKeyStoreId"] as? String)

        let store = try await Self.store(server, id)
        #expect(store["CustomKeyStoreType"] as? String == "EXTERNAL_KEY_STORE")
        #expect(store["ConnectionState"] as? String == "DISCONNECTED")
        #expect(store["XksProxyConfiguration"] as? [String: String] == [
            "AccessKeyId": proxy.accessKeyId, "Connectivity": "PUBLIC_ENDPOINT", "UriEndpoint": Self.endpoint, "UriPath": proxy.path,
        ])
        let everything = try await Self.aws(server, ["kms", "describe-custom-key-stores"])
        #expect(!everything.stdout.contains(proxy.secret), "the secret is never returned")

        // The same endpoint and path again: XksProxyUriInUseException.
        let again = try await Self.aws(server, create.map { $0 == "e2e-xks" ? "e2e-xks-2" : $0 })
        #expect(again.stderr.contains("(XksProxyUriInUseException)"), "\(again)")
        // A path the proxy does not serve: KMS asks for its health first and the proxy answers 404.
        let wrongPath = try await Self.aws(server, create.map { $0 == "e2e-xks" ? "e2e-xks-3" : $0 == proxy.path ? "/wrong/kms/xks/v1" : $0 })
        #expect(wrongPath.stderr.contains("(XksProxyInvalidConfigurationException)"), "\(wrongPath)")
        // A port in the endpoint breaks the model's pattern.
        let port = try await Self.aws(server, create.map { $0 == Self.endpoint ? Self.endpoint + ":8443" : $0 })
        #expect(port.stderr.contains("(ValidationException)") && port.stderr.contains("xksProxyUriEndpoint"), "\(port)")

        _ = try await Self.awsJSON(server, ["kms", "connect-custom-key-store", "--custom-key-store-id", id])
        try await Self.waitFor("CONNECTED", server, id)

        // While CONNECTED the name may change; the endpoint may not.
        _ = try await Self.awsJSON(server, ["kms", "update-custom-key-store", "--custom-key-store-id", id, "--new-custom-key-store-name", "e2e-xks-renamed"])
        let endpoint = try await Self.aws(server, ["kms", "update-custom-key-store", "--custom-key-store-id", id,
                                                   "--xks-proxy-uri-endpoint", "https://other.e2e.example.com"])
        #expect(endpoint.stderr.contains("(CustomKeyStoreInvalidStateException)"), "\(endpoint)")
        let badCredential = try await Self.aws(server, ["kms", "update-custom-key-store", "--custom-key-store-id", id,
                                                        "--xks-proxy-authentication-credential",
                                                        #"{"AccessKeyId": "AAAAAAAAAAAAAAAAAAAAAA", "RawSecretAccessKey": "\#(String(repeating: "A", count: 44))"}"#])
        #expect(badCredential.stderr.contains("(XksProxyIncorrectAuthenticationCredentialException)"), "\(badCredential)")
        #expect(try await Self.store(server, id)["CustomKeyStoreName"] as? String == "e2e-xks-renamed")

        // The cks CLI on the same world shows it in both forms.
        let list = try await server.cks(["list", "--type", "external"])
        #expect(list.stdout.contains("e2e-xks-renamed") && list.stdout.contains(Self.endpoint) && list.stdout.contains(proxy.path), "\(list)")

        _ = try await Self.awsJSON(server, ["kms", "disconnect-custom-key-store", "--custom-key-store-id", id])
        try await Self.waitFor("DISCONNECTED", server, id)
        _ = try await Self.awsJSON(server, ["kms", "delete-custom-key-store", "--custom-key-store-id", id])
        let gone = try await Self.aws(server, ["kms", "describe-custom-key-stores", "--custom-key-store-id", id])
        #expect(gone.stderr.contains("(CustomKeyStoreNotFoundException)"), "\(gone)")
        _ = try await server.stop()
    }

    @Test("aws kms: a key in an external key store (create-key --origin EXTERNAL_KEY_STORE --xks-key-id), encrypt and decrypt through the proxy",
          .enabled(if: Tools.aws != nil, "needs the aws CLI"))
    func keyLife() async throws {
        let server = try await ServeProcess()
        let proxy = try await Self.prepareProxy(server)
        let created = try await Self.awsJSON(server, [
            "kms", "create-custom-key-store", "--custom-key-store-name", "e2e-xks-keys", "--custom-key-store-type", "EXTERNAL_KEY_STORE",
            "--xks-proxy-connectivity", "PUBLIC_ENDPOINT", "--xks-proxy-uri-endpoint", Self.endpoint, "--xks-proxy-uri-path", proxy.path,
            "--xks-proxy-authentication-credential", #"{"AccessKeyId": "\#(proxy.accessKeyId)", "RawSecretAccessKey": "\#(proxy.secret)"}"#,
        ])
        let id = try #require(created["CustomKeyStoreId"] as? String)
        _ = try await Self.awsJSON(server, ["kms", "connect-custom-key-store", "--custom-key-store-id", id])
        try await Self.waitFor("CONNECTED", server, id)

        let key = try await Self.awsJSON(server, ["kms", "create-key", "--origin", "EXTERNAL_KEY_STORE", "--custom-key-store-id", id,
                                                  "--xks-key-id", "e2e-key", "--description", "e2e external key"])
        let metadata = try #require(key["KeyMetadata"] as? [String: Any])
        let keyId = try #require(metadata["KeyId"] as? String)
        #expect(metadata["Origin"] as? String == "EXTERNAL_KEY_STORE")
        #expect(metadata["XksKeyConfiguration"] as? [String: String] == ["Id": "e2e-key"])
        let described = try await Self.awsJSON(server, ["kms", "describe-key", "--key-id", keyId])
        #expect((described["KeyMetadata"] as? [String: Any])?["XksKeyConfiguration"] as? [String: String] == ["Id": "e2e-key"])

        let missing = try await Self.aws(server, ["kms", "create-key", "--origin", "EXTERNAL_KEY_STORE", "--custom-key-store-id", id,
                                                  "--xks-key-id", "no-such-key"])
        #expect(missing.stderr.contains("(XksKeyNotFoundException)"), "\(missing)")
        let inUse = try await Self.aws(server, ["kms", "create-key", "--origin", "EXTERNAL_KEY_STORE", "--custom-key-store-id", id,
                                                "--xks-key-id", "e2e-key"])
        #expect(inUse.stderr.contains("(XksKeyAlreadyInUseException)"), "\(inUse)")
        let noKeyId = try await Self.aws(server, ["kms", "create-key", "--origin", "EXTERNAL_KEY_STORE", "--custom-key-store-id", id])
        #expect(noKeyId.stderr.contains("(ValidationException)"), "\(noKeyId)")

        let plaintext = server.home.appending(path: "plain.txt")
        try Data("sent through the proxy".utf8).write(to: plaintext)
        let encrypted = try await Self.awsJSON(server, ["kms", "encrypt", "--key-id", keyId, "--plaintext", "fileb://\(plaintext.path)",
                                                        "--encryption-context", "purpose=xks-e2e"])
        let blobText = try #require(encrypted["CiphertextBlob"] as? String)
        let blob = try #require(Data(base64Encoded: blobText))
        let blobFile = server.home.appending(path: "blob.bin")
        try blob.write(to: blobFile)
        let decrypted = try await Self.awsJSON(server, ["kms", "decrypt", "--ciphertext-blob", "fileb://\(blobFile.path)",
                                                        "--encryption-context", "purpose=xks-e2e"])
        let plaintextText = try #require(decrypted["Plaintext"] as? String)
        let text = try #require(Data(base64Encoded: plaintextText))
        #expect(String(decoding: text, as: UTF8.self) == "sent through the proxy")
        let otherContext = try await Self.aws(server, ["kms", "decrypt", "--ciphertext-blob", "fileb://\(blobFile.path)",
                                                       "--encryption-context", "purpose=other"])
        #expect(otherContext.status != 0, "\(otherContext)")

        let random = try await Self.aws(server, ["kms", "generate-random", "--number-of-bytes", "16", "--custom-key-store-id", id])
        #expect(random.stderr.contains("(UnsupportedOperationException)"), "\(random)")

        let keys = try await server.cks(["keys", id])
        #expect(keys.stdout.contains("XKS KEY ID") && keys.stdout.contains("e2e-key"), "\(keys)")
        _ = try await server.stop()
    }

    @Test("boto3: an external key store created, connected and described", .enabled("needs python3 with boto3") { await Tools.hasBoto3.value })
    func boto3() async throws {
        let server = try await ServeProcess()
        let proxy = try await Self.prepareProxy(server)
        let python3 = try #require(Tools.python3)
        let script = server.home.appending(path: "xks_e2e.py")
        try """
            import sys, time, json, boto3
            kms = boto3.client("kms", endpoint_url=sys.argv[1], region_name="us-east-1")
            config = json.load(open(sys.argv[2]))
            store_id = kms.create_custom_key_store(
                CustomKeyStoreName="boto-xks", CustomKeyStoreType="EXTERNAL_KEY_STORE", XksProxyConnectivity="PUBLIC_ENDPOINT",
                XksProxyUriEndpoint=sys.argv[3], XksProxyUriPath=config["XksProxyUriPath"],
                XksProxyAuthenticationCredential=config["XksProxyAuthenticationCredential"])["CustomKeyStoreId"]
            print("ok: created", store_id)
            kms.connect_custom_key_store(CustomKeyStoreId=store_id)
            for _ in range(600):
                store = kms.describe_custom_key_stores(CustomKeyStoreId=store_id)["CustomKeyStores"][0]
                if store["ConnectionState"] in ("CONNECTED", "FAILED"):
                    break
                time.sleep(0.1)
            print("ok: state", store["ConnectionState"], store["XksProxyConfiguration"]["UriPath"])
            try:
                kms.update_custom_key_store(CustomKeyStoreId=store_id, XksProxyUriEndpoint="https://other.example.com")
            except kms.exceptions.CustomKeyStoreInvalidStateException:
                print("ok: modeled CustomKeyStoreInvalidStateException")
            try:
                kms.create_custom_key_store(
                    CustomKeyStoreName="boto-xks-2", CustomKeyStoreType="EXTERNAL_KEY_STORE", XksProxyConnectivity="PUBLIC_ENDPOINT",
                    XksProxyUriEndpoint=sys.argv[3], XksProxyUriPath=config["XksProxyUriPath"],
                    XksProxyAuthenticationCredential=config["XksProxyAuthenticationCredential"])
            except kms.exceptions.XksProxyUriInUseException:
                print("ok: modeled XksProxyUriInUseException")
            """.write(to: script, atomically: true, encoding: .utf8)
        let result = try await Processes.run(python3, [script.path, server.url, proxy.file.path, Self.endpoint],
                                             environment: server.clientEnvironment(), bound: .seconds(120))
        #expect(result.status == 0, "\(result)")
        for line in ["ok: created cks-", "ok: state CONNECTED \(proxy.path)", "ok: modeled CustomKeyStoreInvalidStateException",
                     "ok: modeled XksProxyUriInUseException"] {
            #expect(result.stdout.contains(line), "missing \(line)\n\(result)")
        }
        _ = try await server.stop()
    }
}
