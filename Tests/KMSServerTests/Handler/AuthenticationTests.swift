import Foundation
import KMSServer
import KeyStoreEngine
import SigV4
import Testing

@Suite("SigV4 verification, with the errors AWS gives")
struct AuthenticationTests {
    @Test("A correctly signed request is served")
    func signed() async throws {
        try await withDouble { server async throws in
            let answer = try await server.kms("ListKeys")
            #expect(answer.status == 200)
        }
    }

    @Test("No Authorization header: MissingAuthenticationTokenException (400)")
    func missing() async throws {
        try await withDouble { server async throws in
            let answer = try await server.send(server.request(target: "TrentService.ListKeys", body: "{}", credentials: nil))
            #expect(answer.type == "MissingAuthenticationTokenException")
            #expect(answer.status == 400)
        }
    }

    @Test("A wrong secret: InvalidSignatureException (400)")
    func wrongSecret() async throws {
        try await withDouble { server async throws in
            let wrong = AWSCredentials(accessKeyId: ServerFixture.credentials.accessKeyId, secretAccessKey: "not-the-secret")
            let answer = try await server.send(server.request(target: "TrentService.ListKeys", body: "{}", credentials: wrong))
            #expect(answer.type == "InvalidSignatureException")
            #expect(answer.status == 400)
            #expect(answer.message?.hasPrefix("The request signature we calculated does not match") == true)
        }
    }

    @Test("An unknown access key: UnrecognizedClientException (400)")
    func unknownKey() async throws {
        try await withDouble { server async throws in
            let stranger = AWSCredentials(accessKeyId: "AKIDSTRANGER0000000", secretAccessKey: "whatever")
            let answer = try await server.send(server.request(target: "TrentService.ListKeys", body: "{}", credentials: stranger))
            #expect(answer.type == "UnrecognizedClientException")
            #expect(answer.status == 400)
        }
    }

    @Test("A malformed Authorization header: IncompleteSignatureException")
    func incomplete() async throws {
        try await withDouble { server async throws in
            let answer = try await server.send(server.request(
                target: "TrentService.ListKeys", body: "{}", credentials: nil,
                extraHeaders: [("Authorization", "AWS4-HMAC-SHA256 garbage"), ("X-Amz-Date", "20251124T160000Z")]))
            #expect(answer.type == "IncompleteSignatureException")
            #expect(answer.status == 400)
        }
    }

    @Test("More than 5 minutes of clock skew either way: InvalidSignatureException")
    func skew() async throws {
        try await withDouble { server async throws in
            for offset in [-301.0, 301.0] {
                let request = server.request(target: "TrentService.ListKeys", body: "{}", signedAt: server.clock.now().addingTimeInterval(offset))
                let answer = try await server.send(request)
                #expect(answer.type == "InvalidSignatureException", "\(offset): \(answer)")
                #expect(answer.message?.hasPrefix(offset < 0 ? "Signature expired" : "Signature not yet current") == true)
            }
            for offset in [-290.0, 290.0] {
                let request = server.request(target: "TrentService.ListKeys", body: "{}", signedAt: server.clock.now().addingTimeInterval(offset))
                #expect(try await server.send(request).status == 200)
            }
        }
    }

    @Test("A body changed after signing: InvalidSignatureException")
    func tampered() async throws {
        try await withDouble { server async throws in
            var request = server.request(target: "TrentService.ListKeys", body: "{\"Limit\": 5}")
            request.body = Array("{\"Limit\": 6}".utf8)
            let answer = try await server.send(request)
            #expect(answer.type == "InvalidSignatureException")
        }
    }

    @Test("Signature errors come before any other: an unsigned unknown operation is MissingAuthenticationToken")
    func order() async throws {
        try await withDouble { server async throws in
            let answer = try await server.send(server.request(target: "TrentService.Nope", body: "{", credentials: nil))
            #expect(answer.type == "MissingAuthenticationTokenException")
        }
    }

    @Test("With authentication disabled, unsigned requests are served")
    func disabled() async throws {
        try await withDouble(authentication: false) { server async throws in
            #expect(server.handler.verifiesSignatures == false)
            let answer = try await server.send(server.request(target: "TrentService.ListKeys", body: "{}", credentials: nil))
            #expect(answer.status == 200)
        }
    }
}
