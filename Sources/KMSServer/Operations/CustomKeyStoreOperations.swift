import Foundation
import KeyStoreEngine

/// The six custom key store operations, mapped field by field onto the backend (which enforces every rule).
struct CustomKeyStoreOperations<Service: KMSEndpointService>: Sendable {
    let context: OperationContext<Service>

    func create(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let name = try fields.string("CustomKeyStoreName", required: true, length: 1...256)
        let type = try fields.enumeration("CustomKeyStoreType", allowed: ["AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"])
        let clusterId = try fields.string("CloudHsmClusterId", length: 19...24, pattern: MemberPattern.clusterId)
        let anchor = try fields.string("TrustAnchorCertificate", length: 1...5000)
        let password = try fields.string("KeyStorePassword", length: 7...32, sensitive: true)
        try checkExternalMembers(&fields)
        try fields.validate()
        if type == "EXTERNAL_KEY_STORE" { throw .externalKeyStores }
        try rejectExternalMembers(fields)
        guard let name, let clusterId, let anchor, let password else {
            let missing = [("CloudHsmClusterId", clusterId), ("TrustAnchorCertificate", anchor), ("KeyStorePassword", password)]
                .filter { $0.1 == nil }.map(\.0)
            throw .validation("A custom key store of type AWS_CLOUDHSM needs CloudHsmClusterId, TrustAnchorCertificate and KeyStorePassword; missing: \(missing.joined(separator: ", ")).")
        }
        let request = CreateKeyStoreRequest(name: name, cloudHsmClusterId: clusterId, trustAnchorCertificate: anchor,
                                            keyStorePassword: password)
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
        try checkExternalMembers(&fields)
        try fields.validate()
        try rejectExternalMembers(fields)
        guard let id else { throw .validation("CustomKeyStoreId is required.") }
        let request = UpdateKeyStoreRequest(customKeyStoreId: id, newName: newName, keyStorePassword: password,
                                            cloudHsmClusterId: clusterId)
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

    /// Reads the external key store members with their model types, so that a wrong type is still a
    /// SerializationException and a bad enum a ValidationException.
    private func checkExternalMembers(_ fields: inout RequestFields) throws(ServiceError) {
        _ = try fields.string("XksProxyUriEndpoint", length: 10...128)
        _ = try fields.string("XksProxyUriPath", length: 10...128)
        _ = try fields.string("XksProxyVpcEndpointServiceName", length: 20...64)
        _ = try fields.string("XksProxyVpcEndpointServiceOwner", length: 12...12)
        _ = try fields.structure("XksProxyAuthenticationCredential")
        _ = try fields.enumeration("XksProxyConnectivity", allowed: ["PUBLIC_ENDPOINT", "VPC_ENDPOINT_SERVICE"])
    }

    private func rejectExternalMembers(_ fields: RequestFields) throws(ServiceError) {
        let given = MemberPattern.externalKeyStoreMembers.filter { fields.has($0) }
        guard given.isEmpty else {
            throw .validation("\(given.joined(separator: ", ")) apply only to external key stores (EXTERNAL_KEY_STORE). cks serve simulates AWS CloudHSM key stores: leave them out.")
        }
    }
}
