import Foundation
import SigV4
import Testing

@Suite("SigV4Verifier")
struct VerifierTests {
    let verifier = KMSExample.verifier
    let now = KMSExample.date

    @Test func acceptsACorrectlySignedRequest() throws {
        let identity = try verifier.verify(KMSExample.signed(), now: now)
        #expect(identity == VerifiedIdentity(accessKeyId: "AKIAIOSFODNN7EXAMPLE", region: "us-east-1", service: "kms"))
    }

    @Test func acceptsTemporaryCredentialsWithTheirToken() throws {
        let identity = try verifier.verify(KMSExample.signed(KMSExample.temporaryCredentials), now: now)
        #expect(identity.accessKeyId == "ASIAIOSFODNN7EXAMPLE")
    }

    @Test func acceptsChangesToUnsignedHeaders() throws {
        var request = KMSExample.signed()
        request.setHeader("User-Agent", "something else")
        request.headers.append((name: "Content-Length", value: "41"))
        #expect(throws: Never.self) { try verifier.verify(request, now: now) }
    }

    @Test func acceptsClockSkewWithinFiveMinutes() {
        let request = KMSExample.signed()
        #expect(throws: Never.self) { try verifier.verify(request, now: now.addingTimeInterval(299)) }
        #expect(throws: Never.self) { try verifier.verify(request, now: now.addingTimeInterval(-299)) }
    }

    @Test func rejectsAWrongSecret() {
        var wrong = KMSExample.credentials
        wrong.secretAccessKey = "not-the-secret"
        #expect(throws: SigV4Error(
            .invalidSignature,
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
        )) {
            try verifier.verify(KMSExample.signed(wrong), now: now)
        }
    }

    @Test func rejectsAnUnknownAccessKey() {
        let stranger = AWSCredentials(accessKeyId: "AKIAUNKNOWNEXAMPLE00", secretAccessKey: "secret")
        #expect(throws: SigV4Error(.unrecognizedClient, "The security token included in the request is invalid.")) {
            try verifier.verify(KMSExample.signed(stranger), now: now)
        }
    }

    @Test func rejectsAMissingOrWrongSessionToken() {
        let signed = KMSExample.signed(KMSExample.temporaryCredentials)
        var withoutToken = signed
        withoutToken.removeHeaders("X-Amz-Security-Token")
        var wrongToken = signed
        wrongToken.setHeader("X-Amz-Security-Token", "FwoGZXIvYXdzEXAMPLE")
        for request in [withoutToken, wrongToken] {
            #expect(throws: SigV4Error(.unrecognizedClient, "The security token included in the request is invalid.")) {
                try verifier.verify(request, now: now)
            }
        }
    }

    @Test func rejectsAMissingSignatureParameter() throws {
        let request = KMSExample.signed().editingAuthorization { value in
            String(value[..<value.range(of: ", Signature=")!.lowerBound])
        }
        let error = #expect(throws: SigV4Error.self) { try verifier.verify(request, now: now) }
        #expect(error?.code == .incompleteSignature)
        #expect(error?.message.hasPrefix("Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential=") == true)
    }

    @Test func rejectsAMalformedCredential() {
        let request = KMSExample.signed().editingAuthorization {
            $0.replacingOccurrences(of: "/us-east-1/kms/aws4_request", with: "/us-east-1")
        }
        #expect(throws: SigV4Error(
            .incompleteSignature,
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIAIOSFODNN7EXAMPLE/20150830/us-east-1'"
        )) {
            try verifier.verify(request, now: now)
        }
    }

    @Test func rejectsAMissingAuthorization() {
        var request = KMSExample.signed()
        request.removeHeaders("Authorization")
        #expect(throws: SigV4Error(.missingAuthenticationToken, "Missing Authentication Token")) {
            try verifier.verify(request, now: now)
        }
    }

    @Test func rejectsABodyAlteredAfterSigning() {
        var request = KMSExample.signed()
        request.body = Array(#"{"CustomKeyStoreName":"OtherKeyStore"}"#.utf8)
        let error = #expect(throws: SigV4Error.self) { try verifier.verify(request, now: now) }
        #expect(error?.code == .invalidSignature)
    }

    @Test func rejectsASignedHeaderAlteredAfterSigning() {
        var request = KMSExample.signed()
        request.setHeader("X-Amz-Target", "TrentService.DeleteCustomKeyStore")
        let error = #expect(throws: SigV4Error.self) { try verifier.verify(request, now: now) }
        #expect(error?.code == .invalidSignature)
    }

    @Test func rejectsARequestSixMinutesOld() {
        #expect(throws: SigV4Error(
            .invalidSignature,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T124200Z - 5 min.)"
        )) {
            try verifier.verify(KMSExample.signed(), now: now.addingTimeInterval(360))
        }
    }

    @Test func rejectsARequestSixMinutesInTheFuture() {
        #expect(throws: SigV4Error(
            .invalidSignature,
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T123000Z + 5 min.)"
        )) {
            try verifier.verify(KMSExample.signed(), now: now.addingTimeInterval(-360))
        }
    }

    @Test func rejectsAScopeDateThatIsNotTheRequestDate() {
        let request = KMSExample.signed().editingAuthorization {
            $0.replacingOccurrences(of: "/20150830/", with: "/20150831/")
        }
        #expect(throws: SigV4Error(
            .invalidSignature,
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150831' != '20150830', from '20150830T123600Z'."
        )) {
            try verifier.verify(request, now: now)
        }
    }

    @Test func rejectsAnotherServicesScope() {
        let request = KMSExample.signer(service: "cloudhsm").sign(KMSExample.request, date: now)
        #expect(throws: SigV4Error(.invalidSignature, "Credential should be scoped to correct service: 'kms'. ")) {
            try verifier.verify(request, now: now)
        }
    }

    @Test func requiresHostToBeSigned() {
        var unsigned = KMSExample.request
        unsigned.removeHeaders("Host")
        var request = KMSExample.signer().sign(unsigned, date: now)
        request.headers.append((name: "Host", value: "kms.us-east-1.amazonaws.com"))
        #expect(throws: SigV4Error(
            .incompleteSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        )) {
            try verifier.verify(request, now: now)
        }
    }

    @Test func requiresTheDateToBeSigned() {
        let request = KMSExample.signed().editingAuthorization {
            $0.replacingOccurrences(of: ";x-amz-date;", with: ";")
        }
        #expect(throws: SigV4Error(
            .incompleteSignature, "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization."
        )) {
            try verifier.verify(request, now: now)
        }
    }

    @Test func acceptsAnHTTPDateHeaderInsteadOfXAmzDate() throws {
        let signer = KMSExample.signer()
        var request = KMSExample.request
        request.headers.append((name: "Date", value: "Sun, 30 Aug 2015 12:36:00 GMT"))
        let names = ["content-type", "date", "host", "x-amz-target"]
        let stringToSign = signer.stringToSign(
            canonicalRequest: signer.canonicalRequest(request, signedHeaders: names), date: now
        )
        let authorization = SigV4Authorization(
            accessKeyId: signer.credentials.accessKeyId, date: "20150830", region: "us-east-1", service: "kms",
            signedHeaders: names, signature: signer.signature(stringToSign: stringToSign, date: now)
        )
        request.headers.append((name: "Authorization", value: authorization.headerValue))
        #expect(try verifier.verify(request, now: now).service == "kms")
    }

    @Test func rejectsAnUnreadableDate() {
        var request = KMSExample.signed()
        request.setHeader("X-Amz-Date", "2015-08-30T12:36:00Z")
        #expect(throws: SigV4Error(
            .incompleteSignature,
            "Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"
        )) {
            try verifier.verify(request, now: now)
        }
    }
}
