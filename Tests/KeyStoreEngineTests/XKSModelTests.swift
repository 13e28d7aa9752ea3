import Foundation
import KeyStoreEngine
import Testing

/// The XKS members of the engine's model: field rules, the describe output and the update rules.
@Suite("External key store model")
struct XKSModelTests {
    static let credential = XKSProxyCredential(accessKeyId: "BETWEEN2TENAND3TENCHARACTERS",
                                               rawSecretAccessKey: "PleaseReplaceThisWithSomeSecretOfLength43To64")

    static func settings(_ connectivity: XKSProxyConnectivity = .publicEndpoint, endpoint: String = "https://xks.example.com",
                         path: String = "/example/prefix/kms/xks/v1", vpcName: String? = nil,
                         owner: String? = nil, credential: XKSProxyCredential = credential) -> XKSProxySettings {
        XKSProxySettings(connectivity: connectivity, uriEndpoint: endpoint, uriPath: path, credential: credential,
                         vpcEndpointServiceName: vpcName, vpcEndpointServiceOwner: owner)
    }

    @Test("accepted settings", arguments: [
        settings(),
        settings(path: "/kms/xks/v1"),
        settings(path: "/a/b_c-d/kms/xks/v12"),
        settings(.vpcEndpointService, endpoint: "https://myproxy-private.xks.example.com",
                 vpcName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"),
        settings(.vpcEndpointService, vpcName: "eu.amazonaws.vpce.eu-west-1.vpce-svc-abc", owner: "111122223333"),
    ])
    func accepted(_ settings: XKSProxySettings) throws {
        try KeyStoreValidation.validate(settings)
    }

    @Test("refused settings", arguments: [
        (settings(endpoint: "https://xks.example.com:6443"), "xksProxyUriEndpoint"),
        (settings(endpoint: "http://xks.example.com"), "xksProxyUriEndpoint"),
        (settings(endpoint: "https://xks.example.com/path"), "xksProxyUriEndpoint"),
        (settings(endpoint: "https://x"), "xksProxyUriEndpoint"),
        (settings(path: "/example/kms/xks"), "xksProxyUriPath"),
        (settings(path: "example/kms/xks/v1"), "xksProxyUriPath"),
        (settings(path: "/example/kms/xks/v123"), "xksProxyUriPath"),
        (settings(credential: XKSProxyCredential(accessKeyId: "ABCDE12345670EXAMPLE", rawSecretAccessKey: credential.rawSecretAccessKey)), "accessKeyId"),
        (settings(credential: XKSProxyCredential(accessKeyId: credential.accessKeyId, rawSecretAccessKey: "short")), "rawSecretAccessKey"),
        (settings(credential: XKSProxyCredential(accessKeyId: credential.accessKeyId, rawSecretAccessKey: String(repeating: "a", count: 42) + "!")), "rawSecretAccessKey"),
        (settings(.vpcEndpointService), "required"),
        (settings(.vpcEndpointService, vpcName: "com.amazonaws.vpce.us-east-1.svc-0123"), "xksProxyVpcEndpointServiceName"),
        (settings(.vpcEndpointService, vpcName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", owner: "1111"), "xksProxyVpcEndpointServiceOwner"),
        (settings(vpcName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"), "valid only when"),
    ])
    func refused(_ settings: XKSProxySettings, mentions: String) {
        #expect {
            try KeyStoreValidation.validate(settings)
        } throws: { error in
            let error = error as! KMSError
            return error.code == .validation && error.message.contains(mentions)
        }
    }

    @Test func secretsAreNeverEchoed() {
        let secret = "not!valid" + String(repeating: "x", count: 40)
        do {
            try KeyStoreValidation.validateXksProxyCredential(XKSProxyCredential(accessKeyId: Self.credential.accessKeyId, rawSecretAccessKey: secret))
            Issue.record("accepted")
        } catch {
            #expect(!error.message.contains(secret))
        }
    }

    @Test func xksKeyIds() throws {
        try KeyStoreValidation.validateXksKeyId("bar-1_2.3")
        #expect(throws: KMSError.self) { try KeyStoreValidation.validateXksKeyId("a/b") }
        #expect(throws: KMSError.self) { try KeyStoreValidation.validateXksKeyId("") }
        #expect(throws: KMSError.self) { try KeyStoreValidation.validateXksKeyId(String(repeating: "k", count: 129)) }
    }

    @Test func describeOutputHasTheConfigurationButNoSecret() throws {
        let store = CustomKeyStore(
            id: "cks-1234567890abcdef0", name: "ExampleXksPublic", type: .externalKeyStore, cloudHsmClusterId: nil,
            trustAnchorCertificate: nil, xksProxyConfiguration: Self.settings().configuration(defaultOwner: "111122223333"),
            connectionState: .connected, creationDate: Date(timeIntervalSince1970: 1_671_049_056.419))
        let json = store.apiJSON.compact
        #expect(json.contains(#""XksProxyConfiguration":{"AccessKeyId":"BETWEEN2TENAND3TENCHARACTERS","Connectivity":"PUBLIC_ENDPOINT","UriEndpoint":"https://xks.example.com","UriPath":"/example/prefix/kms/xks/v1"}"#))
        #expect(!json.contains(Self.credential.rawSecretAccessKey))
        #expect(!json.contains("VpcEndpointService"))
        #expect(try CustomKeyStore(apiJSON: store.apiJSON) == store)
    }

    @Test func vpcStoresGetTheCallersAccountAsOwner() {
        let vpc = Self.settings(.vpcEndpointService, vpcName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0")
        #expect(vpc.configuration(defaultOwner: "111122223333").vpcEndpointServiceOwner == "111122223333")
        #expect(Self.settings().configuration(defaultOwner: "111122223333").vpcEndpointServiceOwner == nil)
    }

    @Test func updateRulesByWhatChanges() {
        let store = CustomKeyStore(id: "cks-1", name: "x", type: .externalKeyStore, cloudHsmClusterId: nil, trustAnchorCertificate: nil,
                                   connectionState: .connected, creationDate: Date())
        let pathOnly = UpdateKeyStoreRequest(customKeyStoreId: "cks-1", xksProxyUriPath: "/kms/xks/v1")
        let credentialOnly = UpdateKeyStoreRequest(customKeyStoreId: "cks-1", xksProxyCredential: Self.credential)
        let endpoint = UpdateKeyStoreRequest(customKeyStoreId: "cks-1", xksProxyUriEndpoint: "https://other.example.com")
        #expect(pathOnly.action == .editProxyAccess)
        #expect(credentialOnly.action == .editProxyAccess)
        #expect(endpoint.action == .editSettings)
        #expect(KeyStoreRules.verdict(for: pathOnly.action, on: store).isAllowed)
        #expect(!KeyStoreRules.verdict(for: endpoint.action, on: store).isAllowed)
        #expect(KeyStoreRules.verdict(for: endpoint.action, on: store).reason?.contains("connectivity") == true)
    }

    @Test func keyMetadataOfAnExternalKey() {
        let key = KMSKey(id: "k", arn: "arn:aws:kms:us-east-1:111122223333:key/k", customKeyStoreId: "cks-1", cloudHsmClusterId: nil,
                         description: "", keyState: .enabled, creationDate: Date(timeIntervalSince1970: 0), xksKeyId: "bar")
        let json = key.keyMetadataJSON(accountId: "111122223333").compact
        #expect(json.contains(#""Origin":"EXTERNAL_KEY_STORE""#))
        #expect(json.contains(#""XksKeyConfiguration":{"Id":"bar"}"#))
    }
}
