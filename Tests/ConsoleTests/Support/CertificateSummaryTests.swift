import Foundation
@testable import Console
import Testing

@Suite("Trust anchor certificates read from PEM")
struct CertificateSummaryTests {
    /// Made with: openssl req -x509 -newkey ec -subj "/O=Sample Bank/OU=HSM Ops/CN=Zürich CA" -utf8 -days 10000
    /// (its notAfter is a GeneralizedTime, since it is past 2049).
    static let generalizedTime = """
        -----BEGIN CERTIFICATE-----
        MIIB0jCCAXegAwIBAgIUUwwdVzJxmFbAc9Y92f7eiuQmFQEwCgYIKoZIzj0EAwIw
        PTEUMBIGA1UECgwLU2FtcGxlIEJhbmsxEDAOBgNVBAsMB0hTTSBPcHMxEzARBgNV
        BAMMClrDvHJpY2ggQ0EwIBcNMjYxMTI5MjEzNjI3WhgPMjA1NDA0MTYyMTM2Mjda
        MD0xFDASBgNVBAoMC1NhbXBsZSBCYW5rMRAwDgYDVQQLDAdIU00gT3BzMRMwEQYD
        VQQDDApaw7xyaWNoIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEInXZFl/Q
        nV7E20SMGtra7kpEoAeSVmvtSfZCdKiVpOBs6YvR3j9fxd3gO/AtUpw6UIbrztSA
        HStczBJ3e1kMqKNTMFEwHQYDVR0OBBYEFJmR879ElBBJFPt063ghTNKWSu6vMB8G
        A1UdIwQYMBaAFJmR879ElBBJFPt063ghTNKWSu6vMA8GA1UdEwEB/wQFMAMBAf8w
        CgYIKoZIzj0EAwIDSQAwRgIhAOcJyHycYxnymi9Hy4NnqEalKTFP+IUVxcQwNL8D
        ziHwAiEA0/WPoGcrdWHlt1H+W+/16bjQgzqAzFGz4LVSsXmW7Pw=
        -----END CERTIFICATE-----
        """

    func utc(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)!
    }

    @Test func subjectAndValidityOfACustomerCA() throws {
        let certificate = try CertificateSummary(pem: Fixtures.trustAnchor)
        #expect(certificate.subject.commonName == "customerCA")
        #expect(certificate.subject.organization == "Example Corp")
        #expect(certificate.subject.organizationalUnit == "CloudHSM Team")
        #expect(certificate.subject.value("C") == "US")
        #expect(certificate.subject.text == "CN=customerCA, OU=CloudHSM Team, O=Example Corp, C=US")
        #expect(certificate.isSelfSigned)
        #expect(certificate.notBefore == utc("2026-11-29T21:19:46Z"))
        #expect(certificate.notAfter == utc("2036-11-26T21:19:46Z"))
    }

    @Test func generalizedTimeAndUTF8Names() throws {
        let certificate = try CertificateSummary(pem: Self.generalizedTime)
        #expect(certificate.subject.commonName == "Zürich CA")
        #expect(certificate.subject.organization == "Sample Bank")
        #expect(certificate.subject.organizationalUnit == "HSM Ops")
        #expect(certificate.notBefore == utc("2026-11-29T21:36:27Z"))
        #expect(certificate.notAfter == utc("2054-04-16T21:36:27Z"))
    }

    @Test func textAroundTheBlockIsIgnored() throws {
        let pem = "Bag Attributes\n  friendlyName: customerCA\n" + Fixtures.trustAnchor + "\ntrailing words\n"
        #expect(try CertificateSummary(pem: pem).subject.commonName == "customerCA")
    }

    @Test(arguments: [
        ("", CertificateSummary.ParseError(.noCertificateBlock, "no PEM CERTIFICATE block")),
        ("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----", .init(.noCertificateBlock, "no PEM CERTIFICATE block")),
        ("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----", .init(.damagedBase64, "the base64 of the CERTIFICATE block is damaged")),
        ("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----", .init(.damagedBase64, "the base64 of the CERTIFICATE block is damaged")),
        ("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----", .init(.malformed, "unexpected end of data")),
        ("-----BEGIN CERTIFICATE-----\nAgEB\n-----END CERTIFICATE-----", .init(.malformed, "expected Certificate SEQUENCE")),
        ("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", .init(.malformed, "unsupported length encoding")),
        ("-----BEGIN CERTIFICATE-----\nMAUwAw==\n-----END CERTIFICATE-----", .init(.malformed, "length runs past the end")),
    ])
    func brokenInputSaysWhy(pem: String, error: CertificateSummary.ParseError) {
        #expect(throws: error) { try CertificateSummary(pem: pem) }
    }

    @Test func aLeadingByteOrderMarkIsSkipped() throws {
        #expect(try CertificateSummary(pem: "\u{FEFF}" + Fixtures.trustAnchor).subject.commonName == "customerCA")
    }

    @Test func aNameThisReaderDoesNotFollowIsUnsupportedNotDamaged() {
        // Certificate { TBSCertificate { serial, AlgorithmIdentifier, issuer { SET { SEQUENCE { OID 2.5.4.3, [INTEGER 1] } } } } }
        let der: [UInt8] = [0x30, 0x15, 0x30, 0x13, 0x02, 0x01, 0x01, 0x30, 0x00,
                            0x30, 0x0C, 0x31, 0x0A, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x02, 0x01, 0x01]
        #expect(throws: CertificateSummary.ParseError(.unsupported, "unsupported string type 2")) { try CertificateSummary(der: der) }
    }

    @Test func derLengthForms() throws {
        var short = DERReader([0x04, 0x02, 0xAA, 0xBB][...])
        #expect(Array(try short.next().content) == [0xAA, 0xBB])
        var long = DERReader(([0x04, 0x81, 0x80] + [UInt8](repeating: 7, count: 0x80))[...])
        #expect(try long.next().content.count == 128)
        #expect(long.isAtEnd)
    }
}
