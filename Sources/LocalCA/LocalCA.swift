import Crypto
import Foundation
import SwiftASN1
import X509

/// cks's own certificate authority, kept under `$CKS_HOME/ca` and made once (like mkcert): it stands in for
/// the public CAs KMS trusts, so that a local XKS proxy can serve real TLS that the simulated KMS, curl
/// (`--cacert`) and tests can verify.
public struct LocalCA: Sendable {
    public let certificate: Certificate
    let privateKey: P256.Signing.PrivateKey

    /// The CA certificate, PEM.
    public var certificatePEM: String {
        (try? certificate.serializeAsPEM().pemString) ?? ""
    }

    /// The folder of the CA in a cks home folder.
    public static func directory(home: URL) -> URL { home.appending(path: "ca") }
    public static func certificateURL(home: URL) -> URL { directory(home: home).appending(path: "cks-ca.pem") }
    static func keyURL(home: URL) -> URL { directory(home: home).appending(path: "cks-ca-key.pem") }

    init(certificate: Certificate, privateKey: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// Loads the CA of `home`, making it (valid ten years from `now`) if it does not exist yet. The key is
    /// written with mode 0600; a damaged pair is refused, never replaced.
    public static func loadOrCreate(home: URL, now: Date = Date()) throws(LocalCAError) -> LocalCA {
        let certificateFile = certificateURL(home: home)
        let keyFile = keyURL(home: home)
        let manager = FileManager.default
        if manager.fileExists(atPath: certificateFile.path) || manager.fileExists(atPath: keyFile.path) {
            return try load(certificateFile: certificateFile, keyFile: keyFile)
        }
        let ca = try make(now: now)
        do {
            try manager.createDirectory(at: directory(home: home), withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o700])
            try writeNew(ca.privateKey.pemRepresentation, to: keyFile, mode: 0o600)
            try writeNew(ca.certificatePEM, to: certificateFile, mode: 0o644)
        } catch {
            throw LocalCAError("Cannot write the cks CA under \(directory(home: home).path): \(error). Set CKS_HOME to a folder you can write.")
        }
        return ca
    }

    private static func load(certificateFile: URL, keyFile: URL) throws(LocalCAError) -> LocalCA {
        let fix = "Move the folder \(certificateFile.deletingLastPathComponent().path) away to make a new CA (then trust the new one)."
        guard let certificateText = try? String(contentsOf: certificateFile, encoding: .utf8),
              let keyText = try? String(contentsOf: keyFile, encoding: .utf8) else {
            throw LocalCAError("The cks CA is incomplete: \(certificateFile.path) and \(keyFile.path) must both be readable. \(fix)")
        }
        do {
            let certificate = try Certificate(pemEncoded: certificateText)
            let key = try P256.Signing.PrivateKey(pemRepresentation: keyText)
            guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
                throw LocalCAError("the key does not belong to the certificate")
            }
            return LocalCA(certificate: certificate, privateKey: key)
        } catch {
            throw LocalCAError("The cks CA in \(certificateFile.deletingLastPathComponent().path) is damaged (\(error)). \(fix)")
        }
    }

    private static func writeNew(_ text: String, to url: URL, mode: mode_t) throws {
        let fd = open(url.path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode)
        guard fd >= 0 else { throw LocalCAError("\(url.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw LocalCAError("\(url.path): short write") }
    }

    /// A new CA with a fresh P-256 key, valid ten years from `now`.
    public static func make(now: Date = Date(), commonName: String = "cks local CA") throws(LocalCAError) -> LocalCA {
        let key = P256.Signing.PrivateKey()
        do {
            let name = try DistinguishedName {
                OrganizationName("cks")
                CommonName(commonName)
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(3650 * 86_400),
                issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
                issuerPrivateKey: .init(key)
            )
            return LocalCA(certificate: certificate, privateKey: key)
        } catch {
            throw LocalCAError("Cannot make a CA certificate: \(error)")
        }
    }

    /// A server certificate for `hostNames` (DNS names or IPv4/IPv6 addresses), signed by this CA.
    public func issueServerCertificate(
        hostNames: [String], notBefore: Date, notAfter: Date
    ) throws(LocalCAError) -> IssuedCertificate {
        let names = hostNames.map(Self.generalName)
        return try issue(commonName: hostNames.first ?? "localhost", notBefore: notBefore, notAfter: notAfter,
                         usage: .serverAuth, alternativeNames: names)
    }

    /// A client certificate (mutual TLS) with `commonName`, signed by this CA.
    public func issueClientCertificate(
        commonName: String, notBefore: Date, notAfter: Date
    ) throws(LocalCAError) -> IssuedCertificate {
        try issue(commonName: commonName, notBefore: notBefore, notAfter: notAfter, usage: .clientAuth,
                  alternativeNames: [])
    }

    private func issue(
        commonName: String, notBefore: Date, notAfter: Date, usage: ExtendedKeyUsage.Usage,
        alternativeNames: [GeneralName]
    ) throws(LocalCAError) -> IssuedCertificate {
        let key = P256.Signing.PrivateKey()
        do {
            let subject = try DistinguishedName {
                OrganizationName("cks")
                CommonName(commonName)
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([usage])
                AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier)
                if !alternativeNames.isEmpty { SubjectAlternativeNames(alternativeNames) }
            }
            let issued = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                notValidBefore: notBefore, notValidAfter: notAfter, issuer: certificate.subject, subject: subject,
                signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: .init(privateKey)
            )
            return IssuedCertificate(
                certificatePEM: try issued.serializeAsPEM().pemString, privateKeyPEM: key.pemRepresentation,
                caCertificatePEM: certificatePEM
            )
        } catch {
            throw LocalCAError("Cannot issue a certificate for \(commonName): \(error)")
        }
    }

    private static func generalName(_ host: String) -> GeneralName {
        if let bytes = IPAddressBytes.parse(host) { return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))) }
        return .dnsName(host)
    }
}

/// A certificate and its private key, PEM, with the certificate of the CA that signed it.
public struct IssuedCertificate: Sendable, Hashable {
    public var certificatePEM: String
    public var privateKeyPEM: String
    public var caCertificatePEM: String

    public init(certificatePEM: String, privateKeyPEM: String, caCertificatePEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        self.caCertificatePEM = caCertificatePEM
    }
}

extension LocalCA {
    /// A self-signed certificate (its own CA) for `commonName`: what a client that is trusted by nobody presents.
    public static func selfSigned(commonName: String, now: Date = Date()) throws(LocalCAError) -> IssuedCertificate {
        let ca = try make(now: now, commonName: commonName)
        return IssuedCertificate(certificatePEM: ca.certificatePEM, privateKeyPEM: ca.privateKey.pemRepresentation,
                                 caCertificatePEM: ca.certificatePEM)
    }
}
