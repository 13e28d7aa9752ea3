import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// CreateCustomKeyStore, UpdateCustomKeyStore, DeleteCustomKeyStore and DescribeCustomKeyStores for external
/// key stores: field rules, uniqueness and its exceptions, the shared quota, idempotent create (XKS spec 1.1-1.6).
/// These use VPC stores, which KMS does not test against the proxy at Create.
@Suite("external key store rules")
struct XKSStoreRulesTests {
    @Test("Describe returns XksProxyConfiguration with the owner filled in, and never the secret")
    func describeShowsConfiguration() async throws {
        let xks = try XKSWorld()
        defer { xks.world.remove(); Task { await xks.remove() } }
        let id = try await xks.create("vpc-store", xks.vpcSettings())
        let store = try await xks.world.store(id)
        #expect(store.type == .externalKeyStore && store.connectionState == .disconnected && store.cloudHsmClusterId == nil)
        #expect(store.xksProxyConfiguration == XKSProxyConfiguration(
            connectivity: .vpcEndpointService, accessKeyId: XKSWorld.credential.accessKeyId, uriEndpoint: "https://\(XKSWorld.host)",
            uriPath: XKSWorld.uriPath, vpcEndpointServiceName: XKSWorld.vpcService, vpcEndpointServiceOwner: Demo.account))
        let json = store.apiJSON.prettyPrinted()
        #expect(json.contains("\"XksProxyConfiguration\"") && json.contains("\"VpcEndpointServiceOwner\""))
        #expect(!json.contains(XKSWorld.credential.rawSecretAccessKey), "the secret is never returned: \(json)")
    }

    struct InvalidCreate: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var settings: XKSProxySettings
        var fragment: String
    }

    static let invalidCreates: [InvalidCreate] = {
        let good = XKSProxySettings(connectivity: .publicEndpoint, uriEndpoint: "https://xks.example.com", uriPath: "/a/kms/xks/v1",
                                    credential: XKSWorld.credential)
        func with(_ change: (inout XKSProxySettings) -> Void) -> XKSProxySettings {
            var settings = good
            change(&settings)
            return settings
        }
        return [
            InvalidCreate(testDescription: "endpoint with a port", settings: with { $0.uriEndpoint = "https://xks.example.com:8443" }, fragment: "port"),
            InvalidCreate(testDescription: "http endpoint", settings: with { $0.uriEndpoint = "http://xks.example.com" }, fragment: "https://"),
            InvalidCreate(testDescription: "endpoint with a path", settings: with { $0.uriEndpoint = "https://xks.example.com/x" }, fragment: "xksProxyUriEndpoint"),
            InvalidCreate(testDescription: "path without /kms/xks/v1", settings: with { $0.uriPath = "/example/prefix" }, fragment: "xksProxyUriPath"),
            InvalidCreate(testDescription: "short access key id", settings: with { $0.credential.accessKeyId = "ABCDEFG" }, fragment: "accessKeyId"),
            InvalidCreate(testDescription: "access key id with 0 and 1", settings: with { $0.credential.accessKeyId = "ABCDEFGHIJ0123456789" }, fragment: "accessKeyId"),
            InvalidCreate(testDescription: "short secret", settings: with { $0.credential.rawSecretAccessKey = "c2hvcnQ=" }, fragment: "rawSecretAccessKey"),
            InvalidCreate(testDescription: "public with a VPC service", settings: with { $0.vpcEndpointServiceName = XKSWorld.vpcService }, fragment: "VPC_ENDPOINT_SERVICE"),
            InvalidCreate(testDescription: "VPC without a service", settings: with { $0.connectivity = .vpcEndpointService }, fragment: "required"),
            InvalidCreate(testDescription: "VPC with a bad service name",
                          settings: with { $0.connectivity = .vpcEndpointService; $0.vpcEndpointServiceName = "vpce-svc-123" }, fragment: "xksProxyVpcEndpointServiceName"),
            InvalidCreate(testDescription: "VPC with an 11-digit owner",
                          settings: with { $0.connectivity = .vpcEndpointService; $0.vpcEndpointServiceName = XKSWorld.vpcService; $0.vpcEndpointServiceOwner = "12345678901" },
                          fragment: "12-digit"),
        ]
    }()

    @Test("Create refuses every field that breaks the model's rules, before anything else", arguments: invalidCreates)
    func createValidation(_ invalid: InvalidCreate) async throws {
        let xks = try XKSWorld()
        defer { xks.world.remove(); Task { await xks.remove() } }
        await expectKMSError(.validation, invalid.fragment) { try await xks.create("bad", invalid.settings) }
        #expect(try await xks.service.allKeyStores().isEmpty)
    }

    struct Conflict: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// Stores created first (VPC), by host, path, service.
        var existing: [(host: String, path: String, service: String)]
        var candidate: XKSProxySettings
        var code: KMSError.Code
    }

    static let conflicts: [Conflict] = {
        let a = "xks-a.example.com", b = "xks-b.example.com"
        let p1 = "/one/kms/xks/v1", p2 = "/two/kms/xks/v1"
        func vpc(_ host: String, _ path: String, _ service: String) -> XKSProxySettings {
            XKSProxySettings(connectivity: .vpcEndpointService, uriEndpoint: "https://\(host)", uriPath: path, credential: XKSWorld.credential,
                             vpcEndpointServiceName: XKSWorld.service(service))
        }
        func pub(_ host: String, _ path: String) -> XKSProxySettings {
            XKSProxySettings(connectivity: .publicEndpoint, uriEndpoint: "https://\(host)", uriPath: path, credential: XKSWorld.credential)
        }
        return [
            Conflict(testDescription: "same endpoint and path (VPC)", existing: [(a, p1, "a1")], candidate: vpc(a, p1, "b2"), code: .xksProxyUriInUse),
            Conflict(testDescription: "same endpoint and path, any case (VPC)", existing: [(a, p1, "a1")],
                     candidate: vpc(a.uppercased(), p1, "b2"), code: .xksProxyUriInUse),
            Conflict(testDescription: "same endpoint and path (public after VPC)", existing: [(a, p1, "a1")], candidate: pub(a, p1), code: .xksProxyUriInUse),
            Conflict(testDescription: "a VPC store's endpoint, another path (VPC)", existing: [(a, p1, "a1")], candidate: vpc(a, p2, "b2"),
                     code: .xksProxyUriEndpointInUse),
            Conflict(testDescription: "a VPC store's endpoint, another path (public)", existing: [(a, p1, "a1")], candidate: pub(a, p2),
                     code: .xksProxyUriEndpointInUse),
            Conflict(testDescription: "another endpoint, same VPC endpoint service", existing: [(a, p1, "a1")], candidate: vpc(b, p1, "a1"),
                     code: .xksProxyVpcEndpointServiceInUse),
        ]
    }()

    @Test("The uniqueness rules and their exceptions", arguments: conflicts)
    func uniqueness(_ conflict: Conflict) async throws {
        let xks = try XKSWorld()
        defer { xks.world.remove(); Task { await xks.remove() } }
        for (index, existing) in conflict.existing.enumerated() {
            _ = try await xks.create("existing-\(index)", xks.vpcSettings(host: existing.host, path: existing.path,
                                                                          service: XKSWorld.service(existing.service)))
        }
        await expectKMSError(conflict.code) { try await xks.create("candidate", conflict.candidate) }
        #expect(try await xks.service.allKeyStores().count == conflict.existing.count)
    }

    @Test("Update meets the uniqueness rules too, and a store never conflicts with itself")
    func updateUniqueness() async throws {
        let xks = try XKSWorld()
        defer { xks.world.remove(); Task { await xks.remove() } }
        let first = try await xks.create("first", xks.vpcSettings(host: "xks-a.example.com", service: XKSWorld.service("a1")))
        let second = try await xks.create("second", xks.vpcSettings(host: "xks-b.example.com", service: XKSWorld.service("b2")))
        await expectKMSError(.xksProxyUriInUse) {
            try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: second, xksProxyUriEndpoint: "https://xks-a.example.com"))
        }
        await expectKMSError(.xksProxyVpcEndpointServiceInUse) {
            try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: second, xksProxyVpcEndpointServiceName: XKSWorld.service("a1")))
        }
        // Its own values again: no conflict.
        try await xks.service.updateKeyStore(UpdateKeyStoreRequest(
            customKeyStoreId: first, xksProxyUriEndpoint: "https://xks-a.example.com", xksProxyVpcEndpointServiceName: XKSWorld.service("a1")))
        #expect(try await xks.world.store(second).xksProxyConfiguration?.uriEndpoint == "https://xks-b.example.com")
    }

    @Test("Create is idempotent for the same name and settings; any other difference is CustomKeyStoreNameInUse")
    func idempotentCreate() async throws {
        let xks = try XKSWorld()
        defer { xks.world.remove(); Task { await xks.remove() } }
        let id = try await xks.create("same", xks.vpcSettings())
        #expect(try await xks.create("same", xks.vpcSettings(owner: Demo.account)) == id, "the default owner is the caller's account")
        await expectKMSError(.customKeyStoreNameInUse) { try await xks.create("same", xks.vpcSettings(credential: XKSWorld.otherCredential)) }
        await expectKMSError(.customKeyStoreNameInUse) { try await xks.create("same", xks.vpcSettings(path: "/other/kms/xks/v1")) }
        #expect(try await xks.service.allKeyStores().count == 1)
    }

    @Test("Ten custom key stores of both types are the quota: the 11th of either type is LimitExceededException")
    func sharedQuota() async throws {
        let xks = try XKSWorld()
        defer { xks.world.remove(); Task { await xks.remove() } }
        var ids: [String] = []
        for index in 0..<10 {
            ids.append(try await xks.create("store-\(index)", xks.vpcSettings(host: "xks-\(index).example.com", path: "/s\(index)/kms/xks/v1",
                                                                              service: XKSWorld.service("\(index)a"))))
        }
        await expectKMSError(.limitExceeded, "10") {
            try await xks.create("eleventh", xks.vpcSettings(host: "xks-11.example.com", service: XKSWorld.service("11")))
        }
        await expectKMSError(.limitExceeded, "10") {
            try await xks.service.createKeyStore(CreateKeyStoreRequest(name: "cloudhsm", cloudHsmClusterId: "cluster-2payments7a",
                                                                       trustAnchorCertificate: "x", keyStorePassword: "Password1"))
        }
        try await xks.service.deleteKeyStore(id: ids[0])
        _ = try await xks.create("eleventh", xks.vpcSettings(host: "xks-11.example.com", service: XKSWorld.service("11")))
    }

    struct ServiceFault: Sendable, CustomTestStringConvertible {
        var fault: XKSEndpointServiceFault
        var code: KMSError.Code
        var testDescription: String { fault.rawValue }
    }

    @Test("A VPC store's endpoint service must exist and meet the requirements at Create and Update", arguments: [
        ServiceFault(fault: .notFound, code: .xksProxyVpcEndpointServiceNotFound),
        ServiceFault(fault: .kmsNotAllowed, code: .xksProxyVpcEndpointServiceNotFound),
        ServiceFault(fault: .dnsUnverified, code: .xksProxyVpcEndpointServiceInvalidConfiguration),
        ServiceFault(fault: .acceptanceRequired, code: .xksProxyVpcEndpointServiceInvalidConfiguration),
        ServiceFault(fault: .oneZone, code: .xksProxyVpcEndpointServiceInvalidConfiguration),
    ])
    func endpointServiceFaults(_ case: ServiceFault) async throws {
        let xks = try XKSWorld()
        defer { xks.world.remove(); Task { await xks.remove() } }
        let broken = XKSWorld.service("broken")
        try await xks.service.apply(.breakEndpointService(name: broken, fault: `case`.fault))
        await expectKMSError(`case`.code, broken) { try await xks.create("vpc", xks.vpcSettings(service: broken)) }
        let id = try await xks.create("vpc", xks.vpcSettings())
        await expectKMSError(`case`.code) {
            try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, xksProxyVpcEndpointServiceName: broken))
        }
        try await xks.service.apply(.repairEndpointService(name: broken))
        try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, xksProxyVpcEndpointServiceName: broken))
        #expect(try await xks.world.store(id).xksProxyConfiguration?.vpcEndpointServiceName == broken)
    }

    @Test("CloudHSM members are refused for an external key store, and XksProxy* members for a CloudHSM store")
    func membersOfTheOtherType() async throws {
        let xks = try XKSWorld()
        defer { xks.world.remove(); Task { await xks.remove() } }
        let id = try await xks.create("vpc", xks.vpcSettings())
        await expectKMSError(.validation, "CloudHSM") {
            try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, keyStorePassword: "Password1"))
        }
        await expectKMSError(.validation, "CloudHSM") {
            try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, cloudHsmClusterId: "cluster-2payments7a"))
        }
        let demo = try World(pace: .instant)
        defer { demo.remove() }
        await expectKMSError(.validation, "external key stores") {
            try await demo.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger, xksProxyUriPath: "/x/kms/xks/v1"))
        }
    }

    @Test("Switching connectivity: to PUBLIC needs a new endpoint and drops the VPC members; to VPC needs a service")
    func switchConnectivity() async throws {
        let xks = try XKSWorld()
        defer { xks.world.remove(); Task { await xks.remove() } }
        let id = try await xks.create("vpc", xks.vpcSettings())
        await expectKMSError(.validation, "XksProxyUriEndpoint") {
            try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, xksProxyConnectivity: .publicEndpoint))
        }
        await expectKMSError(.validation, "empty") {
            try await xks.service.updateKeyStore(UpdateKeyStoreRequest(
                customKeyStoreId: id, xksProxyConnectivity: .publicEndpoint, xksProxyUriEndpoint: "https://xks-new.example.com",
                xksProxyVpcEndpointServiceName: XKSWorld.vpcService))
        }
        #expect(try await xks.world.store(id).xksProxyConfiguration?.connectivity == .vpcEndpointService, "nothing changed")
        await expectKMSError(.validation, "VPC_ENDPOINT_SERVICE") {
            try await xks.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, xksProxyVpcEndpointServiceName: ""))
        }
    }

    @Test("Delete needs DISCONNECTED and no keys, as for CloudHSM stores")
    func delete() async throws {
        let xks = try XKSWorld()
        defer { xks.world.remove(); Task { await xks.remove() } }
        let id = try await xks.create("vpc", xks.vpcSettings())
        try await xks.service.deleteKeyStore(id: id)
        await expectKMSError(.customKeyStoreNotFound) { try await xks.world.store(id) }
        // The endpoint and the service are free again.
        _ = try await xks.create("again", xks.vpcSettings())
    }
}
