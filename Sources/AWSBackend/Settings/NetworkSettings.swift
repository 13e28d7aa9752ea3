import Foundation

/// The network as the aws CLI takes it from the environment and the profile: `HTTPS_PROXY` and `HTTP_PROXY`
/// (lower case first, as Python's `urllib`), hosts in `NO_PROXY` reached directly, and a CA bundle
/// (`AWS_CA_BUNDLE`, else the profile's `ca_bundle`) trusted instead of the system's roots.
public struct NetworkSettings: Sendable, Hashable {
    public var httpsProxy: URL?
    public var httpProxy: URL?
    /// `NO_PROXY` entries: a host, a domain (`.corp.example` or `corp.example`, subdomains included), or `*`.
    public var noProxy: [String]
    /// A PEM file of the certificates to trust for https.
    public var caBundle: String?

    public init(httpsProxy: URL? = nil, httpProxy: URL? = nil, noProxy: [String] = [], caBundle: String? = nil) {
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.noProxy = noProxy
        self.caBundle = caBundle
    }

    /// No proxy, the system's trust roots.
    public static let direct = NetworkSettings()

    /// The proxy for a request to `url`, or nil to go directly.
    public func proxy(for url: URL) -> URL? {
        let proxy = url.scheme?.lowercased() == "https" ? httpsProxy : httpProxy
        guard let proxy, let host = url.host?.lowercased() else { return nil }
        return bypasses(host) ? nil : proxy
    }

    /// `urllib.proxy_bypass_environment`: `*`, or the host equal to an entry or ending with `.entry`.
    func bypasses(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return noProxy.contains { entry in
            if entry == "*" { return true }
            var name = entry.lowercased()
            if let colon = name.lastIndex(of: ":"), !name.contains("]"), name.filter({ $0 == ":" }).count == 1 {
                name = String(name[..<colon])
            }
            name = name.trimmingCharacters(in: CharacterSet(charactersIn: ".[]"))
            return !name.isEmpty && (bare == name || bare.hasSuffix("." + name))
        }
    }

    static func resolve(_ environment: AWSEnvironment, _ files: SharedConfiguration, profile: String) throws(AWSConfigurationError) -> NetworkSettings {
        func variable(_ name: String) -> (value: String, name: String)? {
            if let value = environment[name.lowercased()] { return (value, name.lowercased()) }
            return environment[name].map { ($0, name) }
        }
        func proxyURL(_ name: String) throws(AWSConfigurationError) -> URL? {
            guard let found = variable(name) else { return nil }
            let (text, origin) = (found.value, found.name)
            let withScheme = text.contains("://") ? text : "http://" + text
            guard let url = URL(string: withScheme), url.host?.isEmpty == false, url.scheme?.lowercased() == "http" else {
                throw AWSConfigurationError(.invalidSetting,
                                            "\(origin) is \(text): give an http:// proxy URL with a host (and a port), like http://proxy.corp.example:3128.")
            }
            return url
        }
        let noProxy = (variable("NO_PROXY")?.value ?? "").split(separator: ",").map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
        var caBundle: String?
        let bundle: (path: String, origin: String)? = environment["AWS_CA_BUNDLE"].map { ($0, "AWS_CA_BUNDLE") }
            ?? files.value("ca_bundle", profile: profile).map { ($0, "ca_bundle of profile \(profile)") }
        if let bundle {
            let expanded = environment.expandingTilde(bundle.path)
            guard FileManager.default.isReadableFile(atPath: expanded) else {
                throw AWSConfigurationError(.unreadableFile, "\(bundle.origin) names \(bundle.path), which cks cannot read. Give the path of a PEM file of CA certificates.")
            }
            caBundle = expanded
        }
        return NetworkSettings(httpsProxy: try proxyURL("HTTPS_PROXY"), httpProxy: try proxyURL("HTTP_PROXY"), noProxy: noProxy, caBundle: caBundle)
    }
}
