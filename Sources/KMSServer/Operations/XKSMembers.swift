import Foundation
import KeyStoreEngine

/// The external key store members of CreateCustomKeyStore and UpdateCustomKeyStore, read with the types and
/// constraints of the API model (`XksProxy*`).
struct XKSMembers {
    var connectivity: XKSProxyConnectivity?
    var uriEndpoint: String?
    var uriPath: String?
    var credential: XKSProxyCredential?
    var vpcEndpointServiceName: String?
    var vpcEndpointServiceOwner: String?

    /// Reads every member; constraint violations go to `fields`' problems, wrong JSON types throw at once.
    /// `clearableServiceName`: UpdateCustomKeyStore takes an empty service name to remove it.
    init(_ fields: inout RequestFields, clearableServiceName: Bool = false) throws(ServiceError) {
        let connectivity = try fields.enumeration("XksProxyConnectivity", allowed: XKSProxyConnectivity.allCases.map(\.rawValue))
        self.connectivity = connectivity.flatMap(XKSProxyConnectivity.init(rawValue:))
        uriEndpoint = try fields.string("XksProxyUriEndpoint", length: 10...128, pattern: MemberPattern.xksProxyUriEndpoint)
        uriPath = try fields.string("XksProxyUriPath", length: 10...128, pattern: MemberPattern.xksProxyUriPath)
        if clearableServiceName, (try fields.string("XksProxyVpcEndpointServiceName")) == "" {
            vpcEndpointServiceName = ""
        } else {
            vpcEndpointServiceName = try fields.string("XksProxyVpcEndpointServiceName", length: 20...64,
                                                       pattern: MemberPattern.xksProxyVpcEndpointServiceName)
        }
        vpcEndpointServiceOwner = try fields.string("XksProxyVpcEndpointServiceOwner", length: 12...12, pattern: MemberPattern.accountId)
        credential = try Self.credential(&fields)
    }

    /// True when any member was given.
    var isEmpty: Bool {
        connectivity == nil && uriEndpoint == nil && uriPath == nil && credential == nil && vpcEndpointServiceName == nil
            && vpcEndpointServiceOwner == nil
    }

    /// `XksProxyAuthenticationCredential`: both parts required, both sensitive (never echoed in a message).
    private static func credential(_ fields: inout RequestFields) throws(ServiceError) -> XKSProxyCredential? {
        let name = "XksProxyAuthenticationCredential"
        guard case let .object(members)? = try fields.structure(name) else { return nil }
        var nested = RequestFields(members: Dictionary(members, uniquingKeysWith: { _, last in last }))
        let accessKeyId = try nested.string("AccessKeyId", required: true, length: 20...30, sensitive: true,
                                            pattern: MemberPattern.xksAccessKeyId)
        let secret = try nested.string("RawSecretAccessKey", required: true, length: 43...64, sensitive: true,
                                       pattern: MemberPattern.xksSecretAccessKey)
        let outer = RequestFields.path(name)
        for problem in nested.problems {
            fields.addProblem(problem
                .replacingOccurrences(of: "at 'accessKeyId'", with: "at '\(outer).accessKeyId'")
                .replacingOccurrences(of: "at 'rawSecretAccessKey'", with: "at '\(outer).rawSecretAccessKey'"))
        }
        guard let accessKeyId, let secret else { return nil }
        return XKSProxyCredential(accessKeyId: accessKeyId, rawSecretAccessKey: secret)
    }
}
