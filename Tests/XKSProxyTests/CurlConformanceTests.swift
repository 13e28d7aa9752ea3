import Foundation
import Testing
import XKS
import XKSProxy
import LocalCA

/// The conformance cases driven by curl's own `--aws-sigv4`, which signs content-type too and sends the
/// port in Host: an outside client, signing differently from KMS.
@Suite(.enabled(if: Curl.path != nil, "needs curl")) struct CurlConformanceTests {
    private let path = ProxyFixture.uriPath

    @Test func theTestClientCases() async throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        let proxy = try await fixture.start()
        let curl = Curl(port: proxy.port, caPath: fixture.caPath, accessKeyId: fixture.credential.accessKeyId,
                        secret: fixture.credential.secretAccessKey)

        let health = try await curl.post("\(path)/health", XKSBodies.health())
        #expect(health.status == 200)
        #expect((health.json["ekmFleetDetails"] as? [Any])?.count == 2)
        #expect(try await curl.post("\(path)/health", "{}").errorName == "ValidationException")
        #expect(try await curl.post("\(path)/health", #"{"requestMetadata":{}}"#).errorName == "ValidationException")
        let wrongKey = try await curl.post("\(path)/health", XKSBodies.health().jsonText, accessKeyId: CredentialRules.generateAccessKeyId())
        #expect(wrongKey.errorName == "AuthenticationFailedException")
        #expect(wrongKey.status == 401)
        let wrongSecret = try await curl.post("\(path)/health", XKSBodies.health().jsonText, secret: CredentialRules.generateSecret())
        #expect(wrongSecret.errorName == "AuthenticationFailedException")
        let invalid = try await curl.post("/example/uri/path/prefix/invalid", XKSBodies.health())
        #expect(invalid.errorName == "InvalidUriPathException")
        #expect(invalid.status == 404)
        let unknown = try await curl.post("\(path)/keys/nope/metadata", ["requestMetadata": XKSBodies.metadata("CreateKey")])
        #expect(unknown.errorName == "KeyNotFoundException")
        #expect(try await curl.post("\(path)/keys/foo/encrypt", XKSBodies.encrypt(nil)).errorName == "ValidationException")

        let aad = Array("project=nile,department=marketing".utf8)
        let sealed = try await curl.post("\(path)/keys/foo/encrypt", XKSBodies.encrypt(Array("Hello World!".utf8), aad: aad, integrity: true))
        #expect(sealed.status == 200)
        let field = { (name: String) in Array(Data(base64Encoded: sealed.json[name] as? String ?? "") ?? Data()) }
        let integrity = XKSIntegrity.dataIntegrityValue(aad: aad, metadata: field("ciphertextMetadata"), iv: field("initializationVector"),
                                                        ciphertext: field("ciphertext"), tag: field("authenticationTag"))
        #expect(field("ciphertextDataIntegrityValue") == integrity)
        let opened = try await curl.post("\(path)/keys/foo/decrypt", XKSBodies.decrypt(sealed.json, aad: aad))
        #expect(opened.json["plaintext"] as? String == "SGVsbG8gV29ybGQh")
        for wrong in [nil, Array("project=amazon".utf8)] {
            let refused = try await curl.post("\(path)/keys/foo/decrypt", XKSBodies.decrypt(sealed.json, aad: wrong))
            #expect(refused.errorName == "InvalidCiphertextException")
        }
        let encryptOnly = try await curl.post("\(path)/keys/encrypt-only/decrypt", XKSBodies.decrypt(sealed.json, aad: aad))
        #expect(encryptOnly.errorName == "InvalidKeyUsageException")
        await proxy.stop()
    }

    @Test func mutualTLSRefusesExpiredAndSelfSignedClientCertificates() async throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        let proxy = try await fixture.start(mutualTLS: true)
        let ca = try fixture.ca
        let now = Date()
        let valid = try ca.issueClientCertificate(commonName: "cks.kms.us-east-1.amazonaws.com", notBefore: now.addingTimeInterval(-60),
                                                  notAfter: now.addingTimeInterval(3600))
        let expired = try ca.issueClientCertificate(commonName: "cks.kms.us-east-1.amazonaws.com", notBefore: now.addingTimeInterval(-7200),
                                                    notAfter: now.addingTimeInterval(-3600))
        let selfSigned = try LocalCA.selfSigned(commonName: "cks.kms.us-east-1.amazonaws.com")
        func curl(_ certificate: IssuedCertificate?) throws -> Curl {
            var extra: [String] = []
            if let certificate {
                let directory = fixture.home
                let name = UUID().uuidString
                let certificateFile = directory.appending(path: "\(name).pem")
                let keyFile = directory.appending(path: "\(name)-key.pem")
                try certificate.certificatePEM.write(to: certificateFile, atomically: true, encoding: .utf8)
                try certificate.privateKeyPEM.write(to: keyFile, atomically: true, encoding: .utf8)
                extra = ["--cert", certificateFile.path, "--key", keyFile.path]
            }
            return Curl(port: proxy.port, caPath: fixture.caPath, accessKeyId: fixture.credential.accessKeyId,
                        secret: fixture.credential.secretAccessKey, extra: extra)
        }
        #expect(try await curl(valid).post("\(path)/health", XKSBodies.health()).status == 200)
        for refused in [expired, selfSigned, nil] {
            let result = try await curl(refused).post("\(path)/health", XKSBodies.health())
            #expect(result.exit != 0)
            #expect(result.status == 0)
        }
        await proxy.stop()
    }

    @Test func certificateFaultsAndStopListeningApplyToNewConnections() async throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        let proxy = try await fixture.start()
        let curl = Curl(port: proxy.port, caPath: fixture.caPath, accessKeyId: fixture.credential.accessKeyId,
                        secret: fixture.credential.secretAccessKey)
        for fault in ProxyFaults.CertificateFault.allCases {
            _ = try fixture.database.updateFaults { $0.certificate = fault }
            try await proxy.reload()
            let refused = try await curl.post("\(path)/health", XKSBodies.health())
            #expect(refused.exit == 60, "curl refuses the \(fault.rawValue) certificate: \(refused.body)")
        }
        _ = try fixture.database.updateFaults { $0 = ProxyFaults(); $0.stopListening = true }
        try await proxy.reload()
        #expect(try await curl.post("\(path)/health", XKSBodies.health()).exit == 7)
        _ = try fixture.database.updateFaults { $0 = ProxyFaults() }
        try await proxy.reload()
        #expect(try await curl.post("\(path)/health", XKSBodies.health()).status == 200)
        await proxy.stop()
    }
}

extension Dictionary where Key == String, Value == Any {
    var jsonText: String { String(decoding: XKSBodies.data(self), as: UTF8.self) }
}
