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

    /// The members of CreateCustomKeyStore and UpdateCustomKeyStore that only AWS CloudHSM key stores use.
    static let cloudHSMKeyStoreMembers = ["CloudHsmClusterId", "TrustAnchorCertificate", "KeyStorePassword"]

    /// `^https://[a-zA-Z0-9.-]+$` (XksProxyUriEndpoint)
    static let xksProxyUriEndpoint: (test: @Sendable (String) -> Bool, text: String) = (
        { endpoint in
            guard endpoint.hasPrefix("https://") else { return false }
            let host = endpoint.utf8.dropFirst("https://".count)
            return !host.isEmpty && host.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
        },
        "^https://[a-zA-Z0-9.-]+$"
    )

    /// `^(/[a-zA-Z0-9\/_-]+/kms/xks/v\d{1,2})$|^(/kms/xks/v\d{1,2})$` (XksProxyUriPath)
    static let xksProxyUriPath: (test: @Sendable (String) -> Bool, text: String) = (
        { path in
            let bytes = Array(path.utf8)
            let digits = bytes.reversed().prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.count
            guard (1...2).contains(digits) else { return false }
            let rest = bytes.dropLast(digits)
            let version = Array("/kms/xks/v".utf8)
            guard rest.count >= version.count, Array(rest.suffix(version.count)) == version else { return false }
            let prefix = rest.dropLast(version.count)
            guard !prefix.isEmpty else { return true }
            return prefix.count >= 2 && prefix.first == UInt8(ascii: "/") && prefix.allSatisfy {
                isAlphanumeric($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            }
        },
        "^(/[a-zA-Z0-9\\/_-]+/kms/xks/v\\d{1,2})$|^(/kms/xks/v\\d{1,2})$"
    )

    /// `^(com|eu)\.amazonaws\.vpce\.([a-z]+-){2,3}\d+\.vpce-svc-[0-9a-z]+$` (XksProxyVpcEndpointServiceName)
    static let xksProxyVpcEndpointServiceName: (test: @Sendable (String) -> Bool, text: String) = (
        { name in
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 5, parts[0] == "com" || parts[0] == "eu", parts[1] == "amazonaws", parts[2] == "vpce",
                  parts[4].hasPrefix("vpce-svc-") else { return false }
            let service = parts[4].utf8.dropFirst("vpce-svc-".count)
            guard !service.isEmpty, service.allSatisfy({ isDigit($0) || isLowercase($0) }) else { return false }
            // The Region: two or three lowercase words, each followed by a dash, then a number.
            let region = parts[3].split(separator: "-", omittingEmptySubsequences: false)
            guard (3...4).contains(region.count), let number = region.last, !number.isEmpty, number.utf8.allSatisfy(isDigit) else {
                return false
            }
            return region.dropLast().allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(isLowercase) }
        },
        "^(com|eu)\\.amazonaws\\.vpce\\.([a-z]+-){2,3}\\d+\\.vpce-svc-[0-9a-z]+$"
    )

    /// `[0-9]{12}` (XksProxyVpcEndpointServiceOwner, an account ID)
    static let accountId: (test: @Sendable (String) -> Bool, text: String) = (
        { $0.utf8.count == 12 && $0.utf8.allSatisfy(isDigit) },
        "[0-9]{12}"
    )

    /// `^[A-Z2-7]+$` (the XKS proxy credential's AccessKeyId)
    static let xksAccessKeyId: (test: @Sendable (String) -> Bool, text: String) = (
        { id in
            !id.isEmpty && id.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "2")...UInt8(ascii: "7")).contains($0) }
        },
        "^[A-Z2-7]+$"
    )

    /// `^[a-zA-Z0-9\/+=]+$` (the XKS proxy credential's RawSecretAccessKey)
    static let xksSecretAccessKey: (test: @Sendable (String) -> Bool, text: String) = (
        { secret in
            !secret.isEmpty && secret.utf8.allSatisfy {
                isAlphanumeric($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "=")
            }
        },
        "^[a-zA-Z0-9\\/+=]+$"
    )

    /// `^[a-zA-Z0-9-_.]+$` (XksKeyId)
    static let xksKeyId: (test: @Sendable (String) -> Bool, text: String) = (
        { id in
            !id.isEmpty && id.utf8.allSatisfy {
                isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
        },
        "^[a-zA-Z0-9-_.]+$"
    )

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    private static func isLowercase(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || isLowercase(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
