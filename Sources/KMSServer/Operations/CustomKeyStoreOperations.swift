import Foundation
import KeyStoreEngine

/// The six custom key store operations, mapped field by field onto the backend (which enforces every rule).
struct CustomKeyStoreOperations<Service: KMSEndpointService>: Sendable {
    let context: OperationContext<Service>

    func create(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let name = try fields.string("CustomKeyStoreName", required: true, length: 1...256)
        let type = try fields.enumeration("CustomKeyStoreType", allowed: CustomKeyStoreType.allCases.map(\.rawValue))
        let clusterId = try fields.string("CloudHsmClusterId", length: 19...24, pattern: MemberPattern.clusterId)
        let anchor = try fields.string("TrustAnchorCertificate", length: 1...5000)
        let password = try fields.string("KeyStorePassword", length: 7...32, sensitive: true)
        let proxy = try XKSMembers(&fields)
        try fields.validate()
        guard let name else { throw .validation("CustomKeyStoreName is required.") }

        let request: CreateKeyStoreRequest
        if type == CustomKeyStoreType.externalKeyStore.rawValue {
            try Self.reject(MemberPattern.cloudHSMKeyStoreMembers, in: fields, storeType: .externalKeyStore)
            guard let connectivity = proxy.connectivity, let endpoint = proxy.uriEndpoint, let path = proxy.uriPath,
                  let credential = proxy.credential else {
                let missing = [("XksProxyConnectivity", proxy.connectivity == nil), ("XksProxyUriEndpoint", proxy.uriEndpoint == nil),
                               ("XksProxyUriPath", proxy.uriPath == nil), ("XksProxyAuthenticationCredential", proxy.credential == nil)]
                    .filter(\.1).map(\.0)
                throw .validation("A custom key store of type EXTERNAL_KEY_STORE needs XksProxyConnectivity, XksProxyUriEndpoint, XksProxyUriPath and XksProxyAuthenticationCredential (and XksProxyVpcEndpointServiceName for VPC_ENDPOINT_SERVICE); missing: \(missing.joined(separator: ", ")).")
            }
            request = CreateKeyStoreRequest(name: name, external: XKSProxySettings(
                connectivity: connectivity, uriEndpoint: endpoint, uriPath: path, credential: credential,
                vpcEndpointServiceName: proxy.vpcEndpointServiceName, vpcEndpointServiceOwner: proxy.vpcEndpointServiceOwner))
        } else {
            try Self.reject(MemberPattern.externalKeyStoreMembers, in: fields, storeType: .awsCloudHSM)
            guard let clusterId, let anchor, let password else {
                let missing = [("CloudHsmClusterId", clusterId), ("TrustAnchorCertificate", anchor), ("KeyStorePassword", password)]
                    .filter { $0.1 == nil }.map(\.0)
                throw .validation("A custom key store of type AWS_CLOUDHSM needs CloudHsmClusterId, TrustAnchorCertificate and KeyStorePassword; missing: \(missing.joined(separator: ", ")). For an external key store set CustomKeyStoreType to EXTERNAL_KEY_STORE.")
            }
            request = CreateKeyStoreRequest(name: name, cloudHsmClusterId: clusterId, trustAnchorCertificate: anchor,
                                            keyStorePassword: password)
        }
        let id = try await context.call { () async throws(KMSError) in try await context.service.createKeyStore(request) }
        return .object([("CustomKeyStoreId", .string(id))])
    }

    func connect(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let id = try storeId(&fields)
        try await context.call { () async throws(KMSError) in try await context.service.connectKeyStore(id: id) }
        return .object([])
    }

    func disconnect(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let id = try storeId(&fields)
        try await context.call { () async throws(KMSError) in try await context.service.disconnectKeyStore(id: id) }
        return .object([])
    }

    func delete(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let id = try storeId(&fields)
        try await context.call { () async throws(KMSError) in try await context.service.deleteKeyStore(id: id) }
        return .object([])
    }

    func describe(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let request = DescribeKeyStoresRequest(
            customKeyStoreId: try fields.string("CustomKeyStoreId", length: 1...64),
            customKeyStoreName: try fields.string("CustomKeyStoreName", length: 1...256),
            limit: try fields.integer("Limit", range: 1...1000),
            marker: try fields.string("Marker", length: 1...1024, pattern: MemberPattern.marker))
        try fields.validate()
        let page = try await context.call { () async throws(KMSError) in try await context.service.describeKeyStores(request) }
        var answer: [(String, JSONValue)] = [("CustomKeyStores", .array(page.keyStores.map(\.apiJSON)))]
        if let next = page.nextMarker { answer.append(("NextMarker", .string(next))) }
        answer.append(("Truncated", .bool(page.truncated)))
        return .object(answer)
    }

    func update(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let id = try fields.string("CustomKeyStoreId", required: true, length: 1...64)
        let newName = try fields.string("NewCustomKeyStoreName", length: 1...256)
        let password = try fields.string("KeyStorePassword", length: 7...32, sensitive: true)
        let clusterId = try fields.string("CloudHsmClusterId", length: 19...24, pattern: MemberPattern.clusterId)
        let proxy = try XKSMembers(&fields, clearableServiceName: true)
        try fields.validate()
        guard let id else { throw .validation("CustomKeyStoreId is required.") }
        // Which members fit the store's type, and what each state allows, are the backend's rules.
        let request = UpdateKeyStoreRequest(
            customKeyStoreId: id, newName: newName, keyStorePassword: password, cloudHsmClusterId: clusterId,
            xksProxyConnectivity: proxy.connectivity, xksProxyUriEndpoint: proxy.uriEndpoint, xksProxyUriPath: proxy.uriPath,
            xksProxyCredential: proxy.credential, xksProxyVpcEndpointServiceName: proxy.vpcEndpointServiceName,
            xksProxyVpcEndpointServiceOwner: proxy.vpcEndpointServiceOwner)
        try await context.call { () async throws(KMSError) in try await context.service.updateKeyStore(request) }
        return .object([])
    }

    // MARK: Members

    private func storeId(_ fields: inout RequestFields) throws(ServiceError) -> String {
        let id = try fields.string("CustomKeyStoreId", required: true, length: 1...64)
        try fields.validate()
        guard let id else { throw .validation("CustomKeyStoreId is required.") }
        return id
    }

    /// Members of the other store type are refused, naming them.
    private static func reject(_ members: [String], in fields: RequestFields, storeType: CustomKeyStoreType) throws(ServiceError) {
        let given = members.filter { fields.has($0) }
        guard !given.isEmpty else { return }
        let verb = given.count == 1 ? "is" : "are"
        switch storeType {
        case .externalKeyStore:
            throw .validation("\(given.joined(separator: ", ")) \(verb) not valid for a custom key store of type EXTERNAL_KEY_STORE: they belong to AWS CloudHSM key stores. Leave them out.")
        case .awsCloudHSM:
            throw .validation("\(given.joined(separator: ", ")) \(verb) valid only for external key stores: set CustomKeyStoreType to EXTERNAL_KEY_STORE, or leave them out for an AWS CloudHSM key store.")
        }
    }
}
