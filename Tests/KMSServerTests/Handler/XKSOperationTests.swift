import Foundation
import KMSServer
import KeyStoreEngine
import Testing

/// The external key store members of the store and key operations, seen on `EndpointDouble`: what the
/// endpoint reads, refuses with the API model's messages, and hands the backend.
@Suite("External key store members through the endpoint")
struct XKSOperationTests {
    static let accessKeyId = "BETWEEN2AND7ANDATOZABC"
    static let secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0x"

    static var credential: JSONValue {
        .fields(["AccessKeyId": accessKeyId.json, "RawSecretAccessKey": secret.json])
    }

    /// A CreateCustomKeyStore body for a public external key store, with `changes` replacing or adding members.
    static func createBody(_ changes: [(String, JSONValue?)] = []) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("CustomKeyStoreName", "xks-public".json),
            ("CustomKeyStoreType", "EXTERNAL_KEY_STORE".json),
            ("XksProxyConnectivity", "PUBLIC_ENDPOINT".json),
            ("XksProxyUriEndpoint", "https://xks.example.com".json),
            ("XksProxyUriPath", "/example/prefix/kms/xks/v1".json),
            ("XksProxyAuthenticationCredential", credential),
        ]
        for (name, value) in changes {
            fields.removeAll { $0.0 == name }
            if let value { fields.append((name, value)) }
        }
        return .object(fields)
    }

    @Test("CreateCustomKeyStore EXTERNAL_KEY_STORE hands the backend the proxy settings and answers the ID")
    func createPublic() async throws {
        try await withDouble { server async throws in
            let answer = try await server.ok("CreateCustomKeyStore", Self.createBody())
            #expect(answer == .object([("CustomKeyStoreId", "cks-0000000000double1".json)]))
            let request = try #require(server.double.createRequests.first)
            #expect(request.name == "xks-public")
            #expect(request.type == .externalKeyStore)
            #expect(request.external == XKSProxySettings(
                connectivity: .publicEndpoint, uriEndpoint: "https://xks.example.com", uriPath: "/example/prefix/kms/xks/v1",
                credential: XKSProxyCredential(accessKeyId: Self.accessKeyId, rawSecretAccessKey: Self.secret)))
        }
    }

    @Test("CreateCustomKeyStore VPC_ENDPOINT_SERVICE carries the endpoint service name and owner")
    func createVPC() async throws {
        try await withDouble { server async throws in
            try await server.ok("CreateCustomKeyStore", Self.createBody([
                ("XksProxyConnectivity", "VPC_ENDPOINT_SERVICE".json),
                ("XksProxyVpcEndpointServiceName", "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0".json),
                ("XksProxyVpcEndpointServiceOwner", "111122223333".json),
            ]))
            let settings = try #require(server.double.createRequests.first?.external)
            #expect(settings.connectivity == .vpcEndpointService)
            #expect(settings.vpcEndpointServiceName == "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0")
            #expect(settings.vpcEndpointServiceOwner == "111122223333")
        }
    }

    @Test("CreateCustomKeyStore refuses bad XKS members with the model's messages, secrets never echoed, before the backend")
    func createRefusals() async throws {
        try await withDouble { server async throws in
            let port = try await server.fails("CreateCustomKeyStore", Self.createBody([("XksProxyUriEndpoint", "https://xks.example.com:443".json)]),
                                              with: "ValidationException")
            #expect(port.message == "1 validation error detected: Value 'https://xks.example.com:443' at 'xksProxyUriEndpoint' failed to satisfy constraint: Member must satisfy regular expression pattern: ^https://[a-zA-Z0-9.-]+$")
            let path = try await server.fails("CreateCustomKeyStore", Self.createBody([("XksProxyUriPath", "/example/kms/xks/v123".json)]),
                                              with: "ValidationException")
            #expect(path.message == "1 validation error detected: Value '/example/kms/xks/v123' at 'xksProxyUriPath' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(/[a-zA-Z0-9\\/_-]+/kms/xks/v\\d{1,2})$|^(/kms/xks/v\\d{1,2})$")

            let badSecret = "not a secret, too short"
            let credential = try await server.fails("CreateCustomKeyStore", Self.createBody([
                ("XksProxyAuthenticationCredential", .fields(["AccessKeyId": "lowercase1".json, "RawSecretAccessKey": badSecret.json])),
            ]), with: "ValidationException")
            let message = try #require(credential.message)
            #expect(message.hasPrefix("4 validation errors detected: "))
            #expect(message.contains("Value at 'xksProxyAuthenticationCredential.accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 20"))
            #expect(message.contains("Value at 'xksProxyAuthenticationCredential.rawSecretAccessKey' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\/+=]+$"))
            #expect(!message.contains(badSecret) && !message.contains("lowercase1"))

            let half = try await server.fails("CreateCustomKeyStore", Self.createBody([
                ("XksProxyAuthenticationCredential", .fields(["AccessKeyId": Self.accessKeyId.json])),
            ]), with: "ValidationException")
            #expect(half.message == "1 validation error detected: Value null at 'xksProxyAuthenticationCredential.rawSecretAccessKey' failed to satisfy constraint: Member must not be null")

            try await server.fails("CreateCustomKeyStore", Self.createBody([("XksProxyAuthenticationCredential", Self.secret.json)]),
                                   with: "SerializationException")
            let connectivity = try await server.fails("CreateCustomKeyStore", Self.createBody([("XksProxyConnectivity", "PUBLIC".json)]),
                                                      with: "ValidationException")
            #expect(connectivity.message == "1 validation error detected: Value 'PUBLIC' at 'xksProxyConnectivity' failed to satisfy constraint: Member must satisfy enum value set: [PUBLIC_ENDPOINT, VPC_ENDPOINT_SERVICE]")
            let owner = try await server.fails("CreateCustomKeyStore", Self.createBody([("XksProxyVpcEndpointServiceOwner", "12345678901a".json)]),
                                               with: "ValidationException")
            #expect(owner.message?.contains("'xksProxyVpcEndpointServiceOwner' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]{12}") == true)

            let missing = try await server.fails("CreateCustomKeyStore", Self.createBody([
                ("XksProxyUriPath", nil), ("XksProxyAuthenticationCredential", nil),
            ]), with: "ValidationException")
            #expect(missing.message?.hasSuffix("missing: XksProxyUriPath, XksProxyAuthenticationCredential.") == true)
            let mixed = try await server.fails("CreateCustomKeyStore", Self.createBody([("KeyStorePassword", "kmsuser-password".json)]),
                                               with: "ValidationException")
            #expect(mixed.message?.hasPrefix("KeyStorePassword is not valid for a custom key store of type EXTERNAL_KEY_STORE") == true)
            #expect(mixed.message?.contains("kmsuser-password") == false)
            let cloudHSM = try await server.fails("CreateCustomKeyStore", Self.createBody([("CustomKeyStoreType", "AWS_CLOUDHSM".json)]),
                                                  with: "ValidationException")
            #expect(cloudHSM.message?.contains("valid only for external key stores: set CustomKeyStoreType to EXTERNAL_KEY_STORE") == true)
            #expect(cloudHSM.message?.contains(Self.secret) == false)
            #expect(server.double.calls.isEmpty, "\(server.double.calls)")
        }
    }

    @Test("The endpoint's XKS patterns agree with the model's regular expressions", arguments: [
        ("XksProxyUriEndpoint", KeyStoreValidation.xksProxyUriEndpointPattern, [
            "https://xks.example.com", "https://a.b", "https://xks-1.EXAMPLE.com", "http://xks.example.com",
            "https://xks.example.com/", "https://xks.example.com:443", "https://xks_example.com", "https://", "xks.example.com",
        ]),
        ("XksProxyUriPath", KeyStoreValidation.xksProxyUriPathPattern, [
            "/kms/xks/v1", "/kms/xks/v12", "/a/kms/xks/v1", "/a/b_c-D/9/kms/xks/v2", "//kms/xks/v1", "/kms/xks/v123",
            "/kms/xks/v", "kms/xks/v1/", "/a/kms/xks/v1/", "/a b/kms/xks/v1", "/a.b/kms/xks/v1", "a/kms/xks/v1",
            "/kms/xks/v1/kms/xks/v1", "/kms/xks/vx1",
        ]),
        ("XksProxyVpcEndpointServiceName", KeyStoreValidation.xksProxyVpcEndpointServiceNamePattern, [
            "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", "eu.amazonaws.vpce.eu-west-1.vpce-svc-0a",
            "com.amazonaws.vpce.us-gov-west-1.vpce-svc-0a", "com.amazonaws.vpce.us-1.vpce-svc-0a",
            "com.amazonaws.vpce.a-b-c-d-1.vpce-svc-0a", "com.amazonaws.vpce.us-east-1.vpce-svc-0A", "org.amazonaws.vpce.us-east-1.vpce-svc-0a",
            "com.amazonaws.vpce.us-east-x.vpce-svc-0a", "com.amazonaws.vpce.us-east-1.vpce-svc-", "com.amazonaws.vpce.US-east-1.vpce-svc-0a",
        ]),
    ])
    func patternsAgree(member: String, pattern: String, samples: [String]) async throws {
        let regex = try Regex(pattern)
        let bounds = member == "XksProxyVpcEndpointServiceName" ? 20...64 : 10...128
        try await withDouble { server async throws in
            for sample in samples {
                let valid = bounds.contains(sample.count) && (try? regex.wholeMatch(in: sample)) != nil
                let answer = try await server.kms("CreateCustomKeyStore", Self.createBody([
                    ("XksProxyConnectivity", "VPC_ENDPOINT_SERVICE".json),
                    ("XksProxyVpcEndpointServiceName", "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0".json),
                    (member, sample.json),
                ]))
                #expect((answer.status == 200) == valid, "\(member) \(sample): \(answer)")
            }
        }
    }

    @Test("UpdateCustomKeyStore hands the backend every XKS member; an empty service name clears it")
    func update() async throws {
        try await withDouble { server async throws in
            try await server.ok("UpdateCustomKeyStore", .fields([
                "CustomKeyStoreId": EndpointDouble.xksStoreId.json,
                "XksProxyUriPath": "/new/prefix/kms/xks/v1".json,
                "XksProxyAuthenticationCredential": Self.credential,
            ]))
            try await server.ok("UpdateCustomKeyStore", .fields([
                "CustomKeyStoreId": EndpointDouble.xksStoreId.json,
                "NewCustomKeyStoreName": "renamed".json,
                "XksProxyConnectivity": "PUBLIC_ENDPOINT".json,
                "XksProxyUriEndpoint": "https://other.example.com".json,
                "XksProxyVpcEndpointServiceName": "".json,
            ]))
            try await server.ok("UpdateCustomKeyStore", .fields([
                "CustomKeyStoreId": EndpointDouble.xksStoreId.json,
                "XksProxyConnectivity": "VPC_ENDPOINT_SERVICE".json,
                "XksProxyUriEndpoint": "https://private.example.com".json,
                "XksProxyVpcEndpointServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0".json,
                "XksProxyVpcEndpointServiceOwner": "444455556666".json,
            ]))
            let requests = server.double.updateRequests
            try #require(requests.count == 3)
            #expect(requests[0] == UpdateKeyStoreRequest(
                customKeyStoreId: EndpointDouble.xksStoreId, xksProxyUriPath: "/new/prefix/kms/xks/v1",
                xksProxyCredential: XKSProxyCredential(accessKeyId: Self.accessKeyId, rawSecretAccessKey: Self.secret)))
            #expect(requests[0].action == .editProxyAccess)
            #expect(requests[1] == UpdateKeyStoreRequest(
                customKeyStoreId: EndpointDouble.xksStoreId, newName: "renamed", xksProxyConnectivity: .publicEndpoint,
                xksProxyUriEndpoint: "https://other.example.com", xksProxyVpcEndpointServiceName: ""))
            #expect(requests[2].xksProxyConnectivity == .vpcEndpointService)
            #expect(requests[2].xksProxyVpcEndpointServiceOwner == "444455556666")
            #expect(requests[2].action == .editSettings)

            let short = try await server.fails("UpdateCustomKeyStore", .fields([
                "CustomKeyStoreId": EndpointDouble.xksStoreId.json, "XksProxyVpcEndpointServiceName": "com.amazonaws".json,
            ]), with: "ValidationException")
            #expect(short.message?.hasPrefix("2 validation errors detected: Value 'com.amazonaws' at 'xksProxyVpcEndpointServiceName' failed to satisfy constraint: Member must have length greater than or equal to 20; ") == true)
            let secret = try await server.fails("UpdateCustomKeyStore", .fields([
                "CustomKeyStoreId": EndpointDouble.xksStoreId.json,
                "XksProxyAuthenticationCredential": .fields(["AccessKeyId": Self.accessKeyId.json, "RawSecretAccessKey": "short/secret".json]),
            ]), with: "ValidationException")
            #expect(secret.message?.contains("short/secret") == false)
            #expect(server.double.updateRequests.count == 3)
        }
    }

    @Test("DescribeCustomKeyStores answers XksProxyConfiguration as KMS does, never a secret")
    func describe() async throws {
        try await withDouble { server async throws in
            let answer = try await server.ok("DescribeCustomKeyStores", .fields(["CustomKeyStoreId": EndpointDouble.xksStoreId.json]))
            let store = try #require(answer["CustomKeyStores"]?.arrayValue?.first)
            #expect(store["CustomKeyStoreType"]?.stringValue == "EXTERNAL_KEY_STORE")
            #expect(store["CloudHsmClusterId"] == nil && store["TrustAnchorCertificate"] == nil)
            #expect(store["XksProxyConfiguration"] == .object([
                ("AccessKeyId", "ABCDEFGHIJKLMNOPQRST".json), ("Connectivity", "PUBLIC_ENDPOINT".json),
                ("UriEndpoint", "https://xks.double.example".json), ("UriPath", "/double/kms/xks/v1".json),
            ]))
            #expect(!answer.compact.contains("RawSecretAccessKey"))
        }
    }

    @Test("CreateKey with Origin EXTERNAL_KEY_STORE and XksKeyId; KeyMetadata carries XksKeyConfiguration")
    func createKey() async throws {
        try await withDouble { server async throws in
            let answer = try await server.ok("CreateKey", .fields([
                "CustomKeyStoreId": EndpointDouble.xksStoreId.json, "Origin": "EXTERNAL_KEY_STORE".json,
                "XksKeyId": "double-external-key".json, "Description": "an xks key".json,
            ]))
            let request = try #require(server.double.createKeyRequests.first)
            #expect(request.storeId == EndpointDouble.xksStoreId && request.xksKeyId == "double-external-key")
            #expect(request.description == "an xks key")
            let metadata = try #require(answer["KeyMetadata"])
            #expect(metadata["Origin"]?.stringValue == "EXTERNAL_KEY_STORE")
            #expect(metadata["CustomKeyStoreId"]?.stringValue == EndpointDouble.xksStoreId)
            #expect(metadata["XksKeyConfiguration"] == .object([("Id", "double-external-key".json)]))
            #expect(metadata["CloudHsmClusterId"] == nil)

            let described = try await server.ok("DescribeKey", .fields(["KeyId": EndpointDouble.xksKeyId.json]))
            #expect(described["KeyMetadata"]?["XksKeyConfiguration"]?["Id"]?.stringValue == "double-external-key")
            let cloudHSM = try await server.ok("DescribeKey", .fields(["KeyId": EndpointDouble.keyId.json]))
            #expect(cloudHSM["KeyMetadata"]?["XksKeyConfiguration"] == nil)
            #expect(cloudHSM["KeyMetadata"]?["Origin"]?.stringValue == "AWS_CLOUDHSM")
        }
    }

    @Test("CreateKey: XksKeyId is required for Origin EXTERNAL_KEY_STORE and invalid for any other")
    func createKeyRefusals() async throws {
        try await withDouble { server async throws in
            let noKey = try await server.fails("CreateKey", .fields([
                "CustomKeyStoreId": EndpointDouble.xksStoreId.json, "Origin": "EXTERNAL_KEY_STORE".json,
            ]), with: "ValidationException")
            #expect(noKey.message?.hasSuffix("missing: XksKeyId.") == true)
            let noStore = try await server.fails("CreateKey", .fields([
                "Origin": "EXTERNAL_KEY_STORE".json, "XksKeyId": "k1".json,
            ]), with: "ValidationException")
            #expect(noStore.message?.hasSuffix("missing: CustomKeyStoreId.") == true)
            for origin in ["AWS_CLOUDHSM", "AWS_KMS"] {
                let wrong = try await server.fails("CreateKey", .fields([
                    "CustomKeyStoreId": EndpointDouble.storeId.json, "Origin": origin.json, "XksKeyId": "k1".json,
                ]), with: "ValidationException")
                #expect(wrong.message?.contains("valid only when Origin is EXTERNAL_KEY_STORE (it is \(origin))") == true)
            }
            let pattern = try await server.fails("CreateKey", .fields([
                "CustomKeyStoreId": EndpointDouble.xksStoreId.json, "Origin": "EXTERNAL_KEY_STORE".json, "XksKeyId": "a key".json,
            ]), with: "ValidationException")
            #expect(pattern.message == "1 validation error detected: Value 'a key' at 'xksKeyId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9-_.]+$")
            try await server.fails("CreateKey", .fields([
                "CustomKeyStoreId": EndpointDouble.xksStoreId.json, "Origin": "EXTERNAL_KEY_STORE".json,
                "XksKeyId": String(repeating: "k", count: 129).json,
            ]), with: "ValidationException")
            try await server.fails("CreateKey", .fields([
                "CustomKeyStoreId": EndpointDouble.xksStoreId.json, "Origin": "EXTERNAL_KEY_STORE".json, "XksKeyId": "k1".json,
                "KeySpec": "RSA_2048".json,
            ]), with: "UnsupportedOperationException")
            #expect(server.double.calls.isEmpty, "\(server.double.calls)")
        }
    }

    @Test("Every Xks* exception of the backend is HTTP 400 with its name and message", arguments: [
        ("CreateCustomKeyStore", KMSError.Code.xksProxyUriInUse), ("CreateCustomKeyStore", .xksProxyUriEndpointInUse),
        ("CreateCustomKeyStore", .xksProxyUriUnreachable), ("CreateCustomKeyStore", .xksProxyIncorrectAuthenticationCredential),
        ("CreateCustomKeyStore", .xksProxyInvalidConfiguration), ("CreateCustomKeyStore", .xksProxyInvalidResponse),
        ("CreateCustomKeyStore", .xksProxyVpcEndpointServiceNotFound), ("CreateCustomKeyStore", .xksProxyVpcEndpointServiceInvalidConfiguration),
        ("CreateCustomKeyStore", .xksProxyVpcEndpointServiceInUse), ("UpdateCustomKeyStore", .xksProxyUriUnreachable),
        ("UpdateCustomKeyStore", .xksProxyIncorrectAuthenticationCredential), ("UpdateCustomKeyStore", .customKeyStoreInvalidState),
        ("CreateKey", .xksKeyNotFound), ("CreateKey", .xksKeyInvalidConfiguration), ("CreateKey", .xksKeyAlreadyInUse),
        ("CreateKey", .customKeyStoreInvalidState), ("GenerateRandom", .unsupportedOperation), ("Encrypt", .kmsInvalidState),
    ])
    func errorMapping(operation: String, code: KMSError.Code) async throws {
        let bodies: [String: JSONValue] = [
            "CreateCustomKeyStore": Self.createBody(),
            "UpdateCustomKeyStore": .fields(["CustomKeyStoreId": EndpointDouble.xksStoreId.json, "XksProxyUriPath": "/kms/xks/v1".json]),
            "CreateKey": .fields(["CustomKeyStoreId": EndpointDouble.xksStoreId.json, "Origin": "EXTERNAL_KEY_STORE".json, "XksKeyId": "k1".json]),
            "GenerateRandom": .fields(["NumberOfBytes": .integer(16), "CustomKeyStoreId": EndpointDouble.xksStoreId.json]),
            "Encrypt": .fields(["KeyId": EndpointDouble.xksKeyId.json, "Plaintext": "aGk=".json]),
        ]
        try await withDouble { server async throws in
            server.double.failNext(with: KMSError(code, "what \(code.rawValue) says"))
            let answer = try await server.fails(operation, try #require(bodies[operation]), with: code.rawValue, status: 400)
            #expect(answer.message == "what \(code.rawValue) says")
        }
    }

    @Test("GenerateRandom passes an external key store's ID to the backend, which decides")
    func generateRandom() async throws {
        try await withDouble { server async throws in
            try await server.ok("GenerateRandom", .fields(["NumberOfBytes": .integer(8), "CustomKeyStoreId": EndpointDouble.xksStoreId.json]))
            #expect(server.double.calls == ["generateRandom(8, store: \(EndpointDouble.xksStoreId))"])
        }
    }
}
