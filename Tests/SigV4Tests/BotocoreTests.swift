import Foundation
import SigV4
import Testing

@Suite("Signatures botocore makes")
struct BotocoreTests {
    @Test func fixturesArePresent() {
        #expect(BotocoreFixture.all.count == 4)
    }

    @Test(arguments: BotocoreFixture.all)
    func signerMatchesBotocore(_ fixture: BotocoreFixture) throws {
        let signer = SigV4Signer(credentials: fixture.credentials, region: fixture.region, service: fixture.service)
        let signed = signer.sign(fixture.request.sigV4Request, date: try fixture.date())
        #expect(signed.headerValues("Authorization") == [fixture.authorization])
        #expect(signed.headerValues("X-Amz-Date") == [fixture.timestamp])
        #expect(signed.headerValues("X-Amz-Security-Token") == fixture.sessionToken.map { [$0] } ?? [])
    }

    @Test(arguments: BotocoreFixture.all)
    func verifierAcceptsBotocore(_ fixture: BotocoreFixture) throws {
        let credentials = fixture.credentials
        let verifier = SigV4Verifier(services: ["kms", "cloudhsm"]) { $0 == credentials.accessKeyId ? credentials : nil }
        let identity = try verifier.verify(fixture.signedRequest.sigV4Request, now: try fixture.date())
        #expect(identity == VerifiedIdentity(accessKeyId: fixture.accessKeyId, region: fixture.region, service: fixture.service))
    }
}
