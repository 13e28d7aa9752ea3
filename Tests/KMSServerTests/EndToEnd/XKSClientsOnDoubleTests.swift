import CKSTestSupport
import Foundation
import KMSServer
import KeyStoreEngine
import Testing

/// The endpoint on `EndpointDouble` over real HTTP, for clients whose XKS requests must reach a backend as
/// they were meant whatever the simulator does: the real aws CLI, boto3, and `cks --backend aws`.
final class DoubleServer: Sendable {
    let double = EndpointDouble()
    let server: KMSHTTPServer
    let home: URL
    var url: String { "http://127.0.0.1:\(server.port)" }

    init() async throws {
        home = FileManager.default.temporaryDirectory.appending(path: "cks-xks-double-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        // aws CLI v1 fetches a parameter that starts with https:// (--xks-proxy-uri-endpoint) unless told not to.
        try Data("[default]\ncli_follow_urlparam = false\n".utf8).write(to: home.appending(path: "aws-config"))
        let handler = KMSRequestHandler(service: double, authentication: ServerFixture.authentication(true))
        server = try await KMSHTTPServer.start(host: "127.0.0.1", port: 0, handler: handler, threads: 1)
    }

    deinit {
        try? FileManager.default.removeItem(at: home)
    }

    func stop() async { await server.stop() }

    /// What the aws CLI, boto3 and `cks --backend aws` run with: the fixture's credentials, us-east-1, no
    /// configuration files of the machine, a CKS_HOME of its own.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in environment.keys where name.hasPrefix("AWS_") || name.hasPrefix("CKS_") { environment[name] = nil }
        environment["AWS_ACCESS_KEY_ID"] = ServerFixture.credentials.accessKeyId
        environment["AWS_SECRET_ACCESS_KEY"] = ServerFixture.credentials.secretAccessKey
        environment["AWS_DEFAULT_REGION"] = "us-east-1"
        environment["AWS_CONFIG_FILE"] = home.appending(path: "aws-config").path
        environment["AWS_SHARED_CREDENTIALS_FILE"] = home.appending(path: "no-aws-credentials").path
        environment["AWS_PAGER"] = ""
        environment["AWS_MAX_ATTEMPTS"] = "1"
        environment["CKS_HOME"] = home.appending(path: "cks-home").path
        environment["LC_ALL"] = "C.UTF-8"
        environment["NO_COLOR"] = "1"
        return environment
    }

    func aws(_ arguments: [String]) async throws -> ProcessResult {
        guard let aws = Tools.aws else { throw TestFailure("no aws CLI") }
        return try await Processes.run(aws, arguments + ["--endpoint-url", url, "--output", "json"], environment: environment)
    }

    func awsJSON(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONObject {
        let result = try await aws(arguments)
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result.stdout.isEmpty ? JSONObject([:]) : try result.json()
    }

    /// `cks <arguments> --backend aws --endpoint-url <url>`.
    func cks(_ arguments: [String]) async throws -> ProcessResult {
        try await Processes.run(Tools.cks.path, arguments + ["--backend", "aws", "--endpoint-url", url], environment: environment)
    }

    func file(_ name: String, _ text: String) throws -> URL {
        let url = home.appending(path: name)
        try Data(text.utf8).write(to: url)
        return url
    }
}

@Suite("XKS requests of the aws CLI, boto3 and cks --backend aws, as the endpoint hands them to its backend")
struct XKSClientsOnDoubleTests {
    static let accessKeyId = XKSOperationTests.accessKeyId
    static let secret = XKSOperationTests.secret
    static var credentialJSON: String { #"{"AccessKeyId":"\#(accessKeyId)","RawSecretAccessKey":"\#(secret)"}"# }

    @Test("aws kms create/update/describe-custom-key-stores and create-key with the XKS members",
          .enabled(if: Tools.aws != nil, "needs the aws CLI"))
    func awsCLI() async throws {
        let server = try await DoubleServer()
        let created = try await server.awsJSON([
            "kms", "create-custom-key-store", "--custom-key-store-name", "cli-xks", "--custom-key-store-type", "EXTERNAL_KEY_STORE",
            "--xks-proxy-connectivity", "VPC_ENDPOINT_SERVICE", "--xks-proxy-uri-endpoint", "https://xks.example.com",
            "--xks-proxy-uri-path", "/example/prefix/kms/xks/v1", "--xks-proxy-authentication-credential", Self.credentialJSON,
            "--xks-proxy-vpc-endpoint-service-name", "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
            "--xks-proxy-vpc-endpoint-service-owner", "111122223333",
        ])
        #expect(created["CustomKeyStoreId"] as? String == "cks-0000000000double1")
        #expect(server.double.createRequests.first == CreateKeyStoreRequest(name: "cli-xks", external: XKSProxySettings(
            connectivity: .vpcEndpointService, uriEndpoint: "https://xks.example.com", uriPath: "/example/prefix/kms/xks/v1",
            credential: XKSProxyCredential(accessKeyId: Self.accessKeyId, rawSecretAccessKey: Self.secret),
            vpcEndpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", vpcEndpointServiceOwner: "111122223333")))

        _ = try await server.awsJSON([
            "kms", "update-custom-key-store", "--custom-key-store-id", EndpointDouble.xksStoreId,
            "--xks-proxy-uri-path", "/rotated/kms/xks/v1", "--xks-proxy-authentication-credential", Self.credentialJSON,
        ])
        #expect(server.double.updateRequests.first == UpdateKeyStoreRequest(
            customKeyStoreId: EndpointDouble.xksStoreId, xksProxyUriPath: "/rotated/kms/xks/v1",
            xksProxyCredential: XKSProxyCredential(accessKeyId: Self.accessKeyId, rawSecretAccessKey: Self.secret)))

        let described = try await server.awsJSON(["kms", "describe-custom-key-stores", "--custom-key-store-id", EndpointDouble.xksStoreId])
        let store = try #require((described["CustomKeyStores"] as? [[String: Any]])?.first)
        #expect(store["CustomKeyStoreType"] as? String == "EXTERNAL_KEY_STORE")
        let proxy = try #require(store["XksProxyConfiguration"] as? [String: String])
        #expect(proxy == ["AccessKeyId": "ABCDEFGHIJKLMNOPQRST", "Connectivity": "PUBLIC_ENDPOINT",
                          "UriEndpoint": "https://xks.double.example", "UriPath": "/double/kms/xks/v1"])

        let key = try await server.awsJSON([
            "kms", "create-key", "--origin", "EXTERNAL_KEY_STORE", "--custom-key-store-id", EndpointDouble.xksStoreId,
            "--xks-key-id", "double-external-key", "--description", "cli xks key",
        ])
        let metadata = try #require(key["KeyMetadata"] as? [String: Any])
        #expect(metadata["Origin"] as? String == "EXTERNAL_KEY_STORE")
        #expect((metadata["XksKeyConfiguration"] as? [String: String]) == ["Id": "double-external-key"])
        #expect(server.double.createKeyRequests.last?.xksKeyId == "double-external-key")

        server.double.failNext(with: KMSError(.xksProxyUriUnreachable, "AWS KMS cannot communicate with the external key store proxy."))
        let refused = try await server.aws([
            "kms", "create-custom-key-store", "--custom-key-store-name", "cli-xks-2", "--custom-key-store-type", "EXTERNAL_KEY_STORE",
            "--xks-proxy-connectivity", "PUBLIC_ENDPOINT", "--xks-proxy-uri-endpoint", "https://xks2.example.com",
            "--xks-proxy-uri-path", "/kms/xks/v1", "--xks-proxy-authentication-credential", Self.credentialJSON,
        ])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("An error occurred (XksProxyUriUnreachableException) when calling the CreateCustomKeyStore operation: AWS KMS cannot communicate"), "\(refused)")
        #expect(!refused.stderr.contains(Self.secret))
        await server.stop()
    }

    @Test("boto3: the XKS members and modeled Xks* exceptions", .enabled("needs python3 with boto3") { await Tools.hasBoto3.value })
    func boto3() async throws {
        let server = try await DoubleServer()
        let python3 = try #require(Tools.python3)
        let script = """
            import sys, boto3
            kms = boto3.client("kms", endpoint_url=sys.argv[1], region_name="us-east-1")
            created = kms.create_custom_key_store(
                CustomKeyStoreName="boto-xks", CustomKeyStoreType="EXTERNAL_KEY_STORE", XksProxyConnectivity="PUBLIC_ENDPOINT",
                XksProxyUriEndpoint="https://xks.example.com", XksProxyUriPath="/boto/kms/xks/v1",
                XksProxyAuthenticationCredential={"AccessKeyId": sys.argv[2], "RawSecretAccessKey": sys.argv[3]})
            print("created", created["CustomKeyStoreId"])
            store = kms.describe_custom_key_stores(CustomKeyStoreId=sys.argv[4])["CustomKeyStores"][0]
            print("uri", store["XksProxyConfiguration"]["UriEndpoint"] + store["XksProxyConfiguration"]["UriPath"])
            key = kms.create_key(Origin="EXTERNAL_KEY_STORE", CustomKeyStoreId=sys.argv[4], XksKeyId="double-external-key")
            print("xks key", key["KeyMetadata"]["XksKeyConfiguration"]["Id"])
            try:
                kms.create_key(Origin="EXTERNAL_KEY_STORE", CustomKeyStoreId=sys.argv[4], XksKeyId="missing-key")
            except kms.exceptions.XksKeyNotFoundException as error:
                print("modeled", error.response["Error"]["Code"])
            """
        let scriptFile = try server.file("xks_boto3.py", script)
        let result = try await Processes.run(python3, [scriptFile.path, server.url, Self.accessKeyId, Self.secret, EndpointDouble.xksStoreId],
                                             environment: server.environment)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("created cks-0000000000double1"), "\(result)")
        #expect(result.stdout.contains("uri https://xks.double.example/double/kms/xks/v1"), "\(result)")
        #expect(result.stdout.contains("xks key double-external-key"), "\(result)")
        #expect(result.stdout.contains("modeled XksKeyNotFoundException"), "\(result)")
        #expect(server.double.createRequests.first?.external?.credential.rawSecretAccessKey == Self.secret)
        await server.stop()
    }

    @Test("cks create --type external, update, list --type, create-key --xks-key-id and describe-key over --backend aws")
    func cksCLI() async throws {
        let server = try await DoubleServer()
        let secretFile = try server.file("secret", Self.secret + "\n")
        let created = try await server.cks([
            "create", "--type", "external", "--name", "cli-public", "--endpoint", "https://xks.example.com",
            "--path", "/team/kms/xks/v1", "--access-key-id", Self.accessKeyId, "--secret-file", secretFile.path,
        ])
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout.contains("Created cli-public (cks-0000000000double1), DISCONNECTED"), "\(created)")
        let settings = try #require(server.double.createRequests.first?.external)
        #expect(settings == XKSProxySettings(connectivity: .publicEndpoint, uriEndpoint: "https://xks.example.com", uriPath: "/team/kms/xks/v1",
                                             credential: XKSProxyCredential(accessKeyId: Self.accessKeyId, rawSecretAccessKey: Self.secret)))

        let config = try server.file("proxy-config.json", """
            {"XksProxyUriPath": "/from/file/kms/xks/v1", "XksProxyAuthenticationCredential": \(Self.credentialJSON)}
            """)
        let fromFile = try await server.cks([
            "create", "--type", "external", "--name", "cli-vpc", "--connectivity", "vpc", "--endpoint", "https://private.example.com",
            "--proxy-config", config.path, "--vpc-endpoint-service-name", "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
            "--output", "json",
        ])
        #expect(fromFile.status == 0, "\(fromFile)")
        #expect(try fromFile.json()["CustomKeyStoreId"] as? String == "cks-0000000000double1")
        let vpc = try #require(server.double.createRequests.last?.external)
        #expect(vpc.connectivity == .vpcEndpointService && vpc.uriPath == "/from/file/kms/xks/v1")
        #expect(vpc.credential.rawSecretAccessKey == Self.secret)
        #expect(vpc.vpcEndpointServiceName == "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0")

        let update = try await server.cks(["update", "double-xks", "--path", "/new/kms/xks/v1", "--access-key-id", Self.accessKeyId,
                                           "--secret-file", secretFile.path])
        #expect(update.status == 0, "\(update)")
        #expect(server.double.updateRequests.last == UpdateKeyStoreRequest(
            customKeyStoreId: EndpointDouble.xksStoreId, xksProxyUriPath: "/new/kms/xks/v1",
            xksProxyCredential: XKSProxyCredential(accessKeyId: Self.accessKeyId, rawSecretAccessKey: Self.secret)))
        let toPublic = try await server.cks(["update", EndpointDouble.xksStoreId, "--connectivity", "public", "--endpoint", "https://public.example.com",
                                             "--vpc-endpoint-service-name", ""])
        #expect(toPublic.status == 0, "\(toPublic)")
        #expect(server.double.updateRequests.last?.xksProxyVpcEndpointServiceName == "")
        let wrongType = try await server.cks(["update", "double-store", "--path", "/x/kms/xks/v1"])
        #expect(wrongType.status == 2 && wrongType.stderr.contains("double-store is an AWS CloudHSM key store"), "\(wrongType)")

        let external = try await server.cks(["list", "--type", "external", "--output", "json"])
        let stores = try #require(try external.json()["CustomKeyStores"] as? [[String: Any]])
        #expect(stores.map { $0["CustomKeyStoreId"] as? String } == [EndpointDouble.xksStoreId])
        #expect(stores.first?["XksProxyConfiguration"] as? [String: String] == [
            "AccessKeyId": "ABCDEFGHIJKLMNOPQRST", "Connectivity": "PUBLIC_ENDPOINT",
            "UriEndpoint": "https://xks.double.example", "UriPath": "/double/kms/xks/v1",
        ])
        let cloudHSM = try await server.cks(["list", "--type", "cloudhsm", "--output", "json"])
        #expect((try cloudHSM.json()["CustomKeyStores"] as? [[String: Any]])?.map { $0["CustomKeyStoreId"] as? String } == [EndpointDouble.storeId])

        let table = try await server.cks(["list"])
        #expect(table.status == 0, "\(table)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                == ["NAME", "ID", "TYPE", "CLUSTER", "HSMS", "CONNECTIVITY", "ENDPOINT", "PATH", "STATE", "CREATED"], "\(table)")
        let xksLine = try #require(lines.first { $0.hasPrefix("double-xks") })
        #expect(xksLine.contains("External") && xksLine.contains("Public endpoint") && xksLine.contains("https://xks.double.example")
                && xksLine.contains("/double/kms/xks/v1"), "\(xksLine)")
        let xksOnly = try await server.cks(["list", "--type", "external"])
        #expect(!xksOnly.stdout.contains("CLUSTER") && xksOnly.stdout.contains("CONNECTIVITY"), "\(xksOnly)")

        let key = try await server.cks(["create-key", "double-xks", "--xks-key-id", "double-external-key", "--description", "from cks"])
        #expect(key.status == 0 && key.stdout.contains("(external key double-external-key)"), "\(key)")
        #expect(server.double.createKeyRequests.last?.xksKeyId == "double-external-key")
        let noKeyId = try await server.cks(["create-key", "double-xks"])
        #expect(noKeyId.status == 2 && noKeyId.stderr.contains("give --xks-key-id"), "\(noKeyId)")
        let wrongStore = try await server.cks(["create-key", "double-store", "--xks-key-id", "k1"])
        #expect(wrongStore.status == 2 && wrongStore.stderr.contains("AWS CloudHSM key store"), "\(wrongStore)")

        let keys = try await server.cks(["keys", "double-xks"])
        #expect(keys.stdout.contains("XKS KEY ID") && keys.stdout.contains("double-external-key"), "\(keys)")
        let describe = try await server.cks(["describe-key", EndpointDouble.xksKeyId, "--output", "json"])
        let metadata = try #require(try describe.json()["KeyMetadata"] as? [String: Any])
        #expect(metadata["XksKeyConfiguration"] as? [String: String] == ["Id": "double-external-key"])
        let describeTable = try await server.cks(["describe-key", EndpointDouble.xksKeyId])
        #expect(describeTable.stdout.contains("External key (XksKeyId)") && describeTable.stdout.contains("EXTERNAL_KEY_STORE"), "\(describeTable)")

        for result in [created, fromFile, update, external, table, key, keys, describe] {
            #expect(!result.stdout.contains(Self.secret) && !result.stderr.contains(Self.secret), "the secret was printed: \(result)")
        }
        await server.stop()
    }
}
