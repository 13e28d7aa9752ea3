#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOSSL

/// The certificate name check KMS makes: the host of `XksProxyUriEndpoint` must be one of the certificate's
/// subject alternative names (a DNS name, `*.` matching one label, or the IP address when the host is one).
/// NIOSSL's own check also accepts the dialled IP address, which would let any host name pass on a route to
/// a certificate that names 127.0.0.1.
enum XKSHostCheck {
    struct Mismatch: Error, CustomStringConvertible {
        var host: String
        var names: [String]
        var description: String {
            "the certificate is for \(names.isEmpty ? "no name" : names.joined(separator: ", ")), not \(host)"
        }
    }

    static func check(_ certificate: NIOSSLCertificate, host: String) throws(Mismatch) {
        var shown: [String] = []
        let wanted = normalized(host)
        let address = ipBytes(host)
        for name in certificate._subjectAlternativeNames() {
            let bytes = name.contents.withUnsafeBufferPointer { Array($0) }
            if name.nameType == .dnsName {
                let dnsName = normalized(String(decoding: bytes, as: UTF8.self))
                shown.append(dnsName)
                if address == nil, matches(dnsName, wanted) { return }
            } else if name.nameType == .ipAddress {
                shown.append(bytes.count == 4 ? bytes.map(String.init).joined(separator: ".") : "an IPv6 address")
                if let address, address == bytes { return }
            }
        }
        throw Mismatch(host: host, names: shown)
    }

    private static func normalized(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.hasSuffix(".") ? String(lower.dropLast()) : lower
    }

    private static func matches(_ pattern: String, _ host: String) -> Bool {
        if pattern == host { return true }
        guard pattern.hasPrefix("*."), let dot = host.firstIndex(of: ".") else { return false }
        let rest = host[host.index(after: dot)...]
        return host[..<dot].isEmpty == false && pattern.dropFirst(2) == rest && rest.contains(".")
    }

    /// The address bytes of an IPv4 or IPv6 literal, or nil for a name.
    static func ipBytes(_ host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
