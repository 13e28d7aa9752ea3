import Foundation
import Testing
import XKS

@Suite struct XKSIntegrityTests {
    private func bytes(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64)!) }

    /// The spec's CDIV example (section 4 of external-key-stores.md): AAD, metadata, IV, ciphertext and tag
    /// hash to the published value.
    @Test func specCDIVExample() {
        let value = XKSIntegrity.dataIntegrityValue(
            aad: bytes("cHJvamVjdD1uaWxlLGRlcGFydG1lbnQ9bWFya2V0aW5n"), metadata: bytes("a2V5X3ZlcnNpb249MQ=="),
            iv: bytes("HMrlRw85cAJUd5Ax"), ciphertext: bytes("ghxkK1txeDNn3q8Y"), tag: bytes("vBxN2ncH1oEkR8WVXpmyYQ=="))
        #expect(XKSBase64.encode(value) == "qHA/ImC9h5HsLRXqCyPmWgYx7tzyoTplzILbP0fPXsc=")
    }

    @Test func framedAADHasBothLengths() {
        let framed = XKSIntegrity.framedAAD(aad: Array("project=nile".utf8), metadata: Array("kv=1".utf8))
        #expect(framed == [0, 12] + Array("project=nile".utf8) + [4] + Array("kv=1".utf8))
        #expect(XKSIntegrity.framedAAD(aad: [], metadata: []) == [0, 0, 0])
        let long = [UInt8](repeating: 7, count: 8192)
        #expect(Array(XKSIntegrity.framedAAD(aad: long, metadata: []).prefix(2)) == [0x20, 0x00])
    }

    @Test func errorsCarryTheirStatus() {
        #expect(XKSError.Name.invalidUriPath.httpStatus == 404)
        #expect(XKSError.Name.authenticationFailed.httpStatus == 401)
        #expect(XKSError.Name.throttling.httpStatus == 429)
        #expect(XKSError.Name.dependencyTimeout.httpStatus == 503)
        #expect(XKSError(.validation, "caf\u{E9}\n").body.errorMessage == "caf??")
    }

    @Test func usageListsParse() throws {
        #expect(try XKSKeyUsage.parseList("decrypt, ENCRYPT").get() == [.encrypt, .decrypt])
        #expect(try XKSKeyUsage.parseList("NONE").get() == [])
        #expect(throws: XKSUsageListError.self) { try XKSKeyUsage.parseList("ENCRYPT,SIGNING").get() }
    }
}

@Suite struct XKSErrorParsingTests {
    @Test func aClientReadsTheErrorBack() throws {
        let sent = XKSError(.invalidCiphertext, "tampered")
        let body = Array(try JSONEncoder().encode(sent.body))
        #expect(XKSError.parse(body: body) == sent)
        #expect(XKSError.parse(body: Array(#"{"errorName":"Nonsense"}"#.utf8)) == nil)
        #expect(XKSError.parse(body: Array("<html>".utf8)) == nil)
    }
}
