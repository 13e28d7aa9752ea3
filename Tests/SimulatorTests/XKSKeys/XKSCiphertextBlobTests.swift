import Foundation
import KeyStoreEngine
import Testing
import XKSClient
@testable import Simulator

/// The double-encrypted blob's layout: what it keeps of the proxy's answer, and what it refuses.
@Suite struct XKSCiphertextBlobTests {
    private let material = Data((0..<32).map { UInt8($0) })
    private let outer = XKSEncryptAnswer(ciphertext: Array(repeating: 7, count: 40), initializationVector: Array(repeating: 1, count: 12),
                                         authenticationTag: Array(repeating: 2, count: 16), ciphertextMetadata: Array("key_version=1".utf8))

    @Test func theBlobKeepsTheKeyAndTheWholeProxyAnswer() throws {
        let blob = XKSCiphertextBlob.assemble(keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", outer: outer)
        #expect(XKSCiphertextBlob.isDoubleEncrypted(blob))
        let parsed = try XKSCiphertextBlob.parse(blob)
        #expect(parsed.keyId == "1234abcd-12ab-34cd-56ef-1234567890ab")
        #expect(parsed.outer == outer)
        var noMetadata = outer
        noMetadata.ciphertextMetadata = []
        noMetadata.initializationVector = Array(repeating: 3, count: 16)
        #expect(try XKSCiphertextBlob.parse(XKSCiphertextBlob.assemble(keyId: "k", outer: noMetadata)).outer == noMetadata)
    }

    @Test func truncatedOrForeignBlobsAreInvalidCiphertext() {
        let blob = XKSCiphertextBlob.assemble(keyId: "k", outer: outer)
        for bad in [blob.prefix(20), Data([0x02, 0]), Data([0x01]) + blob.dropFirst(), Data()] {
            #expect(throws: KMSError.self) { try XKSCiphertextBlob.parse(Data(bad)) }
        }
    }

    @Test func theInnerLayerOpensOnlyUnderItsKeyAndContext() throws {
        let layer = try XKSCiphertextBlob.innerLayer(Data("secret".utf8), keyId: "k", material: material, context: ["a": "1"])
        #expect(try XKSCiphertextBlob.openInnerLayer(layer, keyId: "k", material: material, context: ["a": "1"]) == Data("secret".utf8))
        let other = Data((0..<32).map { UInt8(255 - $0) })
        for attempt in [("k", other, ["a": "1"]), ("k2", material, ["a": "1"]), ("k", material, ["a": "2"])] {
            let error = #expect(throws: KMSError.self) {
                try XKSCiphertextBlob.openInnerLayer(layer, keyId: attempt.0, material: attempt.1, context: attempt.2)
            }
            #expect(error?.code == .kmsInvalidState)
            #expect(error?.message == XKSMessages.innerCiphertextInvalid)
        }
    }

    @Test func theProxyAADDependsOnTheKeyArnAndTheContext() {
        let arn = "arn:aws:kms:us-east-1:111122223333:key/k"
        let base = XKSCiphertextBlob.proxyAAD(keyArn: arn, context: ["a": "1", "b": "2"])
        #expect(base.count == 32)
        #expect(base == XKSCiphertextBlob.proxyAAD(keyArn: arn, context: ["b": "2", "a": "1"]))
        #expect(base != XKSCiphertextBlob.proxyAAD(keyArn: arn + "2", context: ["a": "1", "b": "2"]))
        #expect(base != XKSCiphertextBlob.proxyAAD(keyArn: arn, context: ["a": "1"]))
    }
}
