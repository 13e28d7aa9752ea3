import Foundation
import SigV4
import Testing

@Suite("AWS SigV4 test suite (v4, header signing)")
struct AWSTestSuiteTests {
    @Test func suiteIsPresent() {
        #expect(SuiteCase.all.count == 38)
    }

    @Test(arguments: SuiteCase.all)
    func signsLikeTheSuite(_ suiteCase: SuiteCase) throws {
        let signer = try suiteCase.signer()
        let date = try suiteCase.date()
        let request = HTTPRequestText.parse(try suiteCase.file("request.txt"))

        let signed = signer.sign(request, date: date)
        let authorizationHeader = try #require(signed.headerValues("Authorization").first)
        let authorization = try SigV4Authorization(parsing: authorizationHeader)

        let canonical = signer.canonicalRequest(signed, signedHeaders: authorization.signedHeaders)
        #expect(canonical == (try suiteCase.file("header-canonical-request.txt")))
        let stringToSign = signer.stringToSign(canonicalRequest: canonical, date: date)
        #expect(stringToSign == (try suiteCase.file("header-string-to-sign.txt")))
        #expect(signer.signature(stringToSign: stringToSign, date: date) == (try suiteCase.file("header-signature.txt")))

        let expected = HTTPRequestText.parse(try suiteCase.file("header-signed-request.txt"))
        #expect(signed.headers.map { $0.name.lowercased() } == expected.headers.map { $0.name.lowercased() })
        #expect(signed.headers.map(\.value) == expected.headers.map(\.value))
    }

    @Test(arguments: SuiteCase.all)
    func verifierAcceptsTheSuitesSignedRequest(_ suiteCase: SuiteCase) throws {
        let signer = try suiteCase.signer()
        let verifier = SigV4Verifier(services: [signer.service], options: signer.options) {
            $0 == signer.credentials.accessKeyId ? signer.credentials : nil
        }
        let signed = HTTPRequestText.parse(try suiteCase.file("header-signed-request.txt"))
        let identity = try verifier.verify(signed, now: try suiteCase.date())
        #expect(identity == VerifiedIdentity(accessKeyId: "AKIDEXAMPLE", region: "us-east-1", service: "service"))
    }
}
