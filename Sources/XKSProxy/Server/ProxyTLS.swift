import Foundation
import LocalCA
import NIOSSL

/// How the proxy serves HTTPS: a server certificate from the cks CA for the names it is reached by, and
/// optionally mutual TLS (client certificates signed by the cks CA).
public struct ProxyTLSOptions: Sendable {
    public var ca: LocalCA
    /// DNS names and IP addresses the certificate is for.
    public var hostNames: [String]
    public var mutualTLS: Bool

    public init(ca: LocalCA, hostNames: [String], mutualTLS: Bool = false) {
        self.ca = ca
        self.hostNames = hostNames
        self.mutualTLS = mutualTLS
    }

    /// The names a proxy on loopback is reached by.
    public static let loopbackNames = ["localhost", "127.0.0.1", "::1"]
}

/// The three server contexts the listener chooses from per connection: the right certificate, an
/// expired one, and one for another host name (the certificate faults).
struct ProxyTLSContexts: Sendable {
    let valid: NIOSSLContext
    let expired: NIOSSLContext
    let wrongHost: NIOSSLContext

    init(_ options: ProxyTLSOptions, now: Date) throws(XKSProxyError) {
        let day: TimeInterval = 86_400
        do {
            valid = try Self.context(options.ca.issueServerCertificate(
                hostNames: options.hostNames, notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(90 * day)), options)
            expired = try Self.context(options.ca.issueServerCertificate(
                hostNames: options.hostNames, notBefore: now.addingTimeInterval(-30 * day), notAfter: now.addingTimeInterval(-day)), options)
            wrongHost = try Self.context(options.ca.issueServerCertificate(
                hostNames: ["wrong-host.invalid"], notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(90 * day)), options)
        } catch {
            throw XKSProxyError("Cannot set up TLS: \(error)")
        }
    }

    func context(for fault: ProxyFaults.CertificateFault?) -> NIOSSLContext {
        switch fault {
        case nil: valid
        case .expired: expired
        case .wrongHost: wrongHost
        }
    }

    private static func context(_ issued: IssuedCertificate, _ options: ProxyTLSOptions) throws -> NIOSSLContext {
        let certificate = try NIOSSLCertificate(bytes: Array(issued.certificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(issued.privateKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)],
                                                                     privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if options.mutualTLS {
            let ca = try NIOSSLCertificate(bytes: Array(issued.caCertificatePEM.utf8), format: .pem)
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates([ca])
        }
        return try NIOSSLContext(configuration: configuration)
    }
}
