import Foundation
import GRDB
import KeyStoreEngine

/// Where the world sends the simulated KMS's connections to a proxy host (`cks sim xks-route`).
public enum XKSRouteTarget: Sendable, Hashable, CustomStringConvertible {
    /// The proxy the simulator runs in its own process, over the state of `$CKS_HOME/xks-proxy`.
    case embedded
    /// A proxy listening elsewhere (`cks xks-proxy serve --port …`).
    case address(String, port: Int)

    /// Reads `embedded`, `ADDRESS:PORT` or `[IPv6]:PORT`.
    public init(parsing text: String) throws(KMSError) {
        let help = "Give `embedded` (the proxy cks runs in process) or ADDRESS:PORT, for example 127.0.0.1:8443 or [::1]:8443."
        if text == "embedded" {
            self = .embedded
            return
        }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else {
            throw KMSError(.validation, "\"\(text)\" is not a route target: the port is missing or not 1-65535. \(help)")
        }
        var address = String(text[..<colon])
        if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:")
        guard !address.isEmpty, address.allSatisfy(allowed.contains), address.count <= 253 else {
            throw KMSError(.validation, "\"\(text)\" is not a route target: \"\(address)\" is not an address or host name. \(help)")
        }
        self = .address(address, port: port)
    }

    public var description: String {
        switch self {
        case .embedded: "embedded"
        case let .address(address, port): address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
        }
    }
}

/// One route of the world: a proxy host name and where connections to it go.
public struct XKSRoute: Sendable, Hashable {
    public var host: String
    public var target: XKSRouteTarget

    public init(host: String, target: XKSRouteTarget) {
        self.host = host
        self.target = target
    }

    /// A host name as an `XksProxyUriEndpoint` may hold it (`xks.example.com`, or `https://xks.example.com`), lower-cased.
    public static func normalizedHost(_ text: String) throws(KMSError) -> String {
        let host = (text.hasPrefix("https://") ? String(text.dropFirst("https://".count)) : text).lowercased()
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
        guard (1...253).contains(host.count), host.allSatisfy(allowed.contains), !host.hasPrefix("."), !host.hasPrefix("-") else {
            throw KMSError(.validation, "\"\(text)\" is not a proxy host name: give the host of an XksProxyUriEndpoint (letters, digits, dots and dashes, no port), for example xks.example.com.")
        }
        return host
    }
}

extension SimulatorService {
    /// The world's routes from proxy host names, by host.
    public func xksRoutes() async throws(KMSError) -> [XKSRoute] {
        try await read { tx in
            try XKSRouteRecord.order(Column("host")).fetchAll(tx.db).map { record in
                XKSRoute(host: record.host, target: try XKSRouteTarget(parsing: record.target))
            }
        }
    }

    /// The VPC endpoint services with a fault, by name (every other service meets KMS's requirements).
    public func endpointServiceFaults() async throws(KMSError) -> [(name: String, fault: XKSEndpointServiceFault)] {
        try await read { tx in
            try XKSEndpointServiceFaultRecord.order(Column("name")).fetchAll(tx.db).map { ($0.name, $0.fault) }
        }
    }
}
