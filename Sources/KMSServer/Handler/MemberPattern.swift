/// Member constraints of the KMS API model that are more than a length (patterns written out, no regex).
enum MemberPattern {
    /// `cluster-[2-7a-zA-Z]{11,16}`
    static let clusterId: (test: @Sendable (String) -> Bool, text: String) = (
        { id in
            guard id.hasPrefix("cluster-") else { return false }
            let body = id.utf8.dropFirst("cluster-".count)
            return (11...16).contains(body.count) && body.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "2")...UInt8(ascii: "7")).contains(byte)
            }
        },
        "cluster-[2-7a-zA-Z]{11,16}"
    )

    /// `[\u0020-\u00FF]*` (Marker)
    static let marker: (test: @Sendable (String) -> Bool, text: String) = (
        { $0.unicodeScalars.allSatisfy { (0x20...0xFF).contains($0.value) } },
        "[\\u0020-\\u00FF]*"
    )

    /// The members of CreateCustomKeyStore and UpdateCustomKeyStore that only external key stores use.
    static let externalKeyStoreMembers = [
        "XksProxyUriEndpoint", "XksProxyUriPath", "XksProxyVpcEndpointServiceName", "XksProxyVpcEndpointServiceOwner",
        "XksProxyAuthenticationCredential", "XksProxyConnectivity",
    ]
}
