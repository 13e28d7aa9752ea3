import Foundation
import SigV4
import Testing

@Suite("SigV4Signer")
struct SignerTests {
    let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    @Test func signingKeyMatchesTheAWSDocumentationExample() throws {
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "iam")
        let key = signer.signingKey(date: try TestDates.iso8601("2012-02-15T00:00:00Z"))
        #expect(key.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test func pathAsSentIsEncodedOnceMoreExceptForS3() {
        let request = SigV4Request(method: "GET", path: "/my%20key/", headers: [(name: "Host", value: "h")])
        let standard = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")
        var s3 = standard
        s3.options = SigV4Signer.Options(normalizePath: false, doubleEncodePath: false)
        #expect(standard.canonicalRequest(request, signedHeaders: ["host"]).split(separator: "\n")[1] == "/my%2520key/")
        #expect(s3.canonicalRequest(request, signedHeaders: ["host"]).split(separator: "\n")[1] == "/my%20key/")
    }

    @Test func queryIsReencodedAndSortedByNameThenValue() {
        let request = SigV4Request(
            method: "GET", path: "/", query: "b=2&a=z&a=y&c&%7e=%7E&sp=a%20b&plus=a+b",
            headers: [(name: "Host", value: "h")]
        )
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")
        #expect(signer.canonicalRequest(request, signedHeaders: ["host"]).split(separator: "\n")[2]
            == "a=y&a=z&b=2&c=&plus=a%2Bb&sp=a%20b&~=~")
    }

    @Test func replacesAnEarlierSignature() {
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "kms")
        let once = signer.sign(KMSExample.request, date: KMSExample.date)
        let twice = signer.sign(once, date: KMSExample.date)
        #expect(twice == once)
    }

    @Test func addsContentSHA256OnlyWhenAsked() {
        var signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "kms")
        #expect(signer.sign(KMSExample.request, date: KMSExample.date).headerValues("X-Amz-Content-Sha256").isEmpty)
        signer.options.addContentSHA256 = true
        let signed = signer.sign(KMSExample.request, date: KMSExample.date)
        #expect(signed.headerValues("X-Amz-Content-Sha256") == ["1b7cc75f5786d63081e31a1be0489de4739e9ba7d3ef6a248f65a3de57d8f12c"])
        #expect(signed.headerValues("Authorization")[0].contains("x-amz-content-sha256"))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
