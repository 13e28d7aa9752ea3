import CKSTestSupport
import Foundation
import SigV4
import Testing

@Suite("Sign then verify, over random requests")
struct PropertyTests {
    @Test func signedRequestsVerifyAndAnyFlippedSignatureByteFails() throws {
        var random = RandomRequests(generator: SeededGenerator(seed: 0x5167_5634))
        for _ in 0..<300 {
            let credentials = random.credentials()
            let service = random.pick(["kms", "cloudhsm"])
            let region = random.pick(["us-east-1", "eu-west-3", "ap-southeast-2"])
            let date = random.date()
            let signed = SigV4Signer(credentials: credentials, region: region, service: service)
                .sign(random.request(), date: date)
            let verifier = SigV4Verifier(services: ["kms", "cloudhsm"]) { $0 == credentials.accessKeyId ? credentials : nil }

            let identity = try verifier.verify(signed, now: date)
            #expect(identity == VerifiedIdentity(accessKeyId: credentials.accessKeyId, region: region, service: service))

            let position = random.int(0...63)
            let tampered = signed.editingAuthorization { Self.flippingSignatureCharacter(of: $0, at: position) }
            let error = #expect(throws: SigV4Error.self) { try verifier.verify(tampered, now: date) }
            #expect(error?.code == .invalidSignature, "flipped signature character \(position) of \(signed)")
        }
    }

    @Test func everySignatureCharacterMatters() {
        let signed = KMSExample.signed()
        for position in 0..<64 {
            let tampered = signed.editingAuthorization { Self.flippingSignatureCharacter(of: $0, at: position) }
            #expect(throws: SigV4Error.self) { try KMSExample.verifier.verify(tampered, now: KMSExample.date) }
        }
    }

    /// Replaces one hex digit of `Signature=` with another hex digit.
    private static func flippingSignatureCharacter(of authorization: String, at position: Int) -> String {
        var bytes = Array(authorization.utf8)
        let index = bytes.count - 64 + position
        bytes[index] = bytes[index] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        return String(decoding: bytes, as: UTF8.self)
    }
}
