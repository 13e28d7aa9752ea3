import Foundation
import SigV4
import Synchronization
import Testing

/// The verifier keeps derived signing keys; a secret that changes must not be served from the cache.
@Suite("Signing keys kept by the verifier")
struct CachingTests {
    @Test func aRotatedSecretRefusesTheOldSignaturesAndAcceptsTheNewOnes() throws {
        let current = Mutex(KMSExample.credentials)
        let verifier = SigV4Verifier(services: ["kms"]) { id in
            current.withLock { $0.accessKeyId == id ? $0 : nil }
        }
        let oldSigned = KMSExample.signed()
        #expect(throws: Never.self) { try verifier.verify(oldSigned, now: KMSExample.date) }

        var rotated = KMSExample.credentials
        rotated.secretAccessKey = "rotated-secret-EXAMPLEKEY"
        current.withLock { $0 = rotated }
        #expect(throws: SigV4Error.self) { try verifier.verify(oldSigned, now: KMSExample.date) }
        #expect(throws: Never.self) { try verifier.verify(KMSExample.signed(rotated), now: KMSExample.date) }
    }

    @Test func aSecondDayDerivesItsOwnKey() throws {
        let verifier = KMSExample.verifier
        let nextDay = KMSExample.date.addingTimeInterval(86_400)
        #expect(throws: Never.self) { try verifier.verify(KMSExample.signed(), now: KMSExample.date) }
        let tomorrow = KMSExample.signed(at: nextDay)
        #expect(throws: Never.self) { try verifier.verify(tomorrow, now: nextDay) }
        #expect(throws: Never.self, "both days' keys are kept") { try verifier.verify(KMSExample.signed(), now: KMSExample.date) }
    }
}

@Suite("ASCII case of header names")
struct ASCIICaseTests {
    @Test func comparesAndLowercasesASCIIOnly() {
        #expect(ASCIICase.equal("X-Amz-Target", "x-amz-target"))
        #expect(!ASCIICase.equal("X-Amz-Target", "x-amz-targets"))
        #expect(!ASCIICase.equal("content-type", "content_type"))
        #expect(ASCIICase.lowercased("X-Amz-Date") == "x-amz-date")
        #expect(ASCIICase.lowercased("already-lower") == "already-lower")
        #expect(ASCIICase.lowercased("Ä-Header") == "Ä-header", "non-ASCII bytes are left as they are")
    }
}
