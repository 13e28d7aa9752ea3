import Crypto
import Foundation
import Testing
import XKS
import XKSProxy

/// The conformance cases a third party runs against any proxy (those of aws-kms-xksproxy-test-client),
/// over HTTPS keep-alive, signed by the project's SigV4 signer the way KMS signs (`host;x-amz-date`).
@Suite struct SignerConformanceTests {
    private let path = ProxyFixture.uriPath

    private func withProxy(_ body: (XKSTestClient, KMSStyleSigner, ProxyFixture) async throws -> Void) async throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        let proxy = try await fixture.start()
        let client = try XKSTestClient(port: proxy.port, caPEM: try fixture.ca.certificatePEM)
        do {
            try await body(client, KMSStyleSigner(credential: fixture.credential), fixture)
        } catch {
            await client.shutdown()
            await proxy.stop()
            throw error
        }
        await client.shutdown()
        await proxy.stop()
    }

    @Test func healthAnswersTheFleet() async throws {
        try await withProxy { client, signer, _ in
            let answer = try await client.post("\(path)/health", XKSBodies.health(), signer: signer)
            #expect(answer.status == 200)
            let health = try JSONDecoder().decode(XKSHealthResponse.self, from: Data(answer.body))
            #expect(health.xksProxyFleetSize >= 1)
            #expect(health.ekmFleetDetails.map(\.healthStatus) == [.active, .active])
        }
    }

    @Test func healthRefusesAnEmptyBodyAndEmptyMetadata() async throws {
        try await withProxy { client, signer, _ in
            for body: [String: Any] in [[:], ["requestMetadata": [String: Any]()]] {
                let answer = try await client.post("\(path)/health", body, signer: signer)
                #expect(answer.status == 400)
                #expect(answer.errorName == "ValidationException")
            }
        }
    }

    @Test func wrongAccessKeyAndWrongSecretFailAuthentication() async throws {
        try await withProxy { client, signer, fixture in
            var wrongKey = signer
            wrongKey.credential.accessKeyId = CredentialRules.generateAccessKeyId()
            var wrongSecret = signer
            wrongSecret.credential.secretAccessKey = CredentialRules.generateSecret()
            var otherStore = signer
            otherStore.credential = fixture.otherCredential
            var otherRegion = signer
            otherRegion.region = "eu-west-1"
            for bad in [wrongKey, wrongSecret, otherStore, otherRegion] {
                let answer = try await client.post("\(path)/health", XKSBodies.health(), signer: bad)
                #expect(answer.status == 401)
                #expect(answer.errorName == "AuthenticationFailedException")
            }
        }
    }

    @Test func signaturesOlderOrNewerThanFiveMinutesFail() async throws {
        try await withProxy { client, signer, _ in
            for offset in [-360.0, 360.0] {
                let answer = try await client.post("\(path)/health", XKSBodies.health(), signer: signer, date: Date().addingTimeInterval(offset))
                #expect(answer.errorName == "AuthenticationFailedException")
            }
            let recent = try await client.post("\(path)/health", XKSBodies.health(), signer: signer, date: Date().addingTimeInterval(-200))
            #expect(recent.status == 200)
        }
    }

    @Test func anInvalidPathIsInvalidUriPathBeforeAuthentication() async throws {
        try await withProxy { client, signer, _ in
            for bad in ["/example/uri/path/prefix/invalid", "/wrong/prefix/kms/xks/v1/health", "\(path)/keys/foo/sign"] {
                let answer = try await client.post(bad, XKSBodies.health(), signer: signer)
                #expect(answer.status == 404)
                #expect(answer.errorName == "InvalidUriPathException")
            }
            var unsigned = signer.sign(path: "/nowhere/kms/xks/v1/health", host: client.host, body: [])
            unsigned.removeHeaders("Authorization")
            #expect(try await client.send(unsigned).errorName == "InvalidUriPathException")
        }
    }

    @Test func getOnAnAPIPathIs405() async throws {
        try await withProxy { client, signer, _ in
            let answer = try await client.send(signer.sign(path: "\(path)/health", host: client.host, body: []), method: "GET")
            #expect(answer.status == 405)
        }
    }

    @Test func metadataOfKeys() async throws {
        try await withProxy { client, signer, _ in
            let body: [String: Any] = ["requestMetadata": XKSBodies.metadata("CreateKey")]
            let foo = try await client.post("\(path)/keys/foo/metadata", body, signer: signer)
            #expect(foo.status == 200)
            #expect(foo.json["keySpec"] as? String == "AES_256")
            #expect(foo.json["keyUsage"] as? [String] == ["ENCRYPT", "DECRYPT"])
            #expect(foo.json["keyStatus"] as? String == "ENABLED")
            let unknown = try await client.post("\(path)/keys/nope/metadata", body, signer: signer)
            #expect(unknown.status == 404)
            #expect(unknown.errorName == "KeyNotFoundException")
        }
    }

    @Test func encryptWithoutPlaintextIsAValidationError() async throws {
        try await withProxy { client, signer, _ in
            let answer = try await client.post("\(path)/keys/foo/encrypt", XKSBodies.encrypt(nil), signer: signer)
            #expect(answer.status == 400)
            #expect(answer.errorName == "ValidationException")
        }
    }

    @Test func roundTripsWithAndWithoutAADAndWithTheIntegrityValue() async throws {
        try await withProxy { client, signer, _ in
            let plaintext = Array("Hello World!".utf8)
            for aad in [nil, Array("project=nile,department=marketing".utf8)] {
                let sealed = try await client.post("\(path)/keys/foo/encrypt", XKSBodies.encrypt(plaintext, aad: aad, integrity: true), signer: signer)
                #expect(sealed.status == 200)
                #expect(sealed.bytes("ciphertext").count == plaintext.count)
                #expect(sealed.bytes("authenticationTag").count == 16)
                #expect(sealed.bytes("ciphertextMetadata").count <= 20)
                let expected = XKSIntegrity.dataIntegrityValue(
                    aad: aad ?? [], metadata: sealed.bytes("ciphertextMetadata"), iv: sealed.bytes("initializationVector"),
                    ciphertext: sealed.bytes("ciphertext"), tag: sealed.bytes("authenticationTag"))
                #expect(sealed.bytes("ciphertextDataIntegrityValue") == expected)
                let opened = try await client.post("\(path)/keys/foo/decrypt", XKSBodies.decrypt(sealed.json, aad: aad), signer: signer)
                #expect(opened.status == 200)
                #expect(opened.bytes("plaintext") == plaintext)
            }
            let plain = try await client.post("\(path)/keys/foo/encrypt", XKSBodies.encrypt(plaintext), signer: signer)
            #expect(plain.json["ciphertextDataIntegrityValue"] == nil)
        }
    }

    @Test func decryptWithMissingOrDifferentAADOrTamperedFieldsFails() async throws {
        try await withProxy { client, signer, _ in
            let aad = Array("project=nile".utf8)
            let sealed = try await client.post("\(path)/keys/foo/encrypt", XKSBodies.encrypt(Array("secret".utf8), aad: aad), signer: signer)
            var tamperedMetadata = XKSBodies.decrypt(sealed.json, aad: aad)
            tamperedMetadata["ciphertextMetadata"] = XKSBase64.encode(Array("cks-xks key v2".utf8))
            var tamperedTag = XKSBodies.decrypt(sealed.json, aad: aad)
            var tag = sealed.bytes("authenticationTag")
            tag[0] ^= 1
            tamperedTag["authenticationTag"] = XKSBase64.encode(tag)
            var tamperedIV = XKSBodies.decrypt(sealed.json, aad: aad)
            var iv = sealed.bytes("initializationVector")
            iv[3] ^= 0x80
            tamperedIV["initializationVector"] = XKSBase64.encode(iv)
            let cases = [XKSBodies.decrypt(sealed.json, aad: nil), XKSBodies.decrypt(sealed.json, aad: Array("project=amazon".utf8)),
                         tamperedMetadata, tamperedTag, tamperedIV]
            for body in cases {
                let answer = try await client.post("\(path)/keys/foo/decrypt", body, signer: signer)
                #expect(answer.status == 400)
                #expect(answer.errorName == "InvalidCiphertextException")
            }
        }
    }

    @Test func fourKiBPlaintextWithEightKiBAAD() async throws {
        try await withProxy { client, signer, _ in
            var generator = SystemRandomNumberGenerator()
            let plaintext = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let aad = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let sealed = try await client.post("\(path)/keys/foo/encrypt", XKSBodies.encrypt(plaintext, aad: aad), signer: signer)
            #expect(sealed.status == 200)
            let opened = try await client.post("\(path)/keys/foo/decrypt", XKSBodies.decrypt(sealed.json, aad: aad), signer: signer)
            #expect(opened.bytes("plaintext") == plaintext)
            let tooLarge = (0..<7000).map { _ in UInt8(7) }
            let refused = try await client.post("\(path)/keys/foo/encrypt", XKSBodies.encrypt(tooLarge), signer: signer)
            #expect(refused.errorName == "ValidationException")
        }
    }

    @Test func keysWithoutTheUsageAreRefused() async throws {
        try await withProxy { client, signer, _ in
            let plaintext = Array("data".utf8)
            let sealed = try await client.post("\(path)/keys/encrypt-only/encrypt", XKSBodies.encrypt(plaintext), signer: signer)
            #expect(sealed.status == 200)
            let decrypt = try await client.post("\(path)/keys/encrypt-only/decrypt", XKSBodies.decrypt(sealed.json, aad: nil), signer: signer)
            #expect(decrypt.errorName == "InvalidKeyUsageException")
            #expect(decrypt.status == 400)
            let encrypt = try await client.post("\(path)/keys/decrypt-only/encrypt", XKSBodies.encrypt(plaintext), signer: signer)
            #expect(encrypt.errorName == "InvalidKeyUsageException")
            // A decrypt-only key decrypts what it sealed before its usage changed: here, another key's ciphertext is
            // simply not its own.
            let foreign = try await client.post("\(path)/keys/decrypt-only/decrypt", XKSBodies.decrypt(sealed.json, aad: nil), signer: signer)
            #expect(foreign.errorName == "InvalidCiphertextException")
            for operation in ["encrypt", "decrypt"] {
                let body = operation == "encrypt" ? XKSBodies.encrypt(plaintext) : XKSBodies.decrypt(sealed.json, aad: nil)
                let answer = try await client.post("\(path)/keys/impotent/\(operation)", body, signer: signer)
                #expect(answer.errorName == "InvalidKeyUsageException")
            }
        }
    }

    @Test func aDisabledKeyIsInvalidStateAndItsMetadataSaysSo() async throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        let proxy = try await fixture.start()
        let client = try XKSTestClient(port: proxy.port, caPEM: try fixture.ca.certificatePEM)
        let signer = KMSStyleSigner(credential: fixture.credential)
        try fixture.database.setKeyEnabled(prefix: ProxyFixture.prefix, id: "foo", enabled: false)
        try await proxy.reload()
        let encrypt = try await client.post("\(path)/keys/foo/encrypt", XKSBodies.encrypt([1, 2, 3]), signer: signer)
        #expect(encrypt.errorName == "InvalidStateException")
        #expect(encrypt.status == 400)
        let metadata = try await client.post("\(path)/keys/foo/metadata", ["requestMetadata": XKSBodies.metadata("DescribeKey")], signer: signer)
        #expect(metadata.json["keyStatus"] as? String == "DISABLED")
        await client.shutdown()
        await proxy.stop()
    }

    @Test func bothCredentialsWorkDuringARotation() async throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        let proxy = try await fixture.start()
        let client = try XKSTestClient(port: proxy.port, caPEM: try fixture.ca.certificatePEM)
        let next = ProxyCredential(accessKeyId: CredentialRules.generateAccessKeyId(), secretAccessKey: CredentialRules.generateSecret(), createdAt: Date())
        try fixture.database.addCredential(prefix: ProxyFixture.prefix, credential: next)
        try await proxy.reload()
        for credential in [fixture.credential, next] {
            let answer = try await client.post("\(path)/health", XKSBodies.health(), signer: KMSStyleSigner(credential: credential))
            #expect(answer.status == 200)
        }
        try fixture.database.retireCredential(prefix: ProxyFixture.prefix, accessKeyId: fixture.credential.accessKeyId)
        try await proxy.reload()
        let old = try await client.post("\(path)/health", XKSBodies.health(), signer: KMSStyleSigner(credential: fixture.credential))
        #expect(old.errorName == "AuthenticationFailedException")
        await client.shutdown()
        await proxy.stop()
    }
}
