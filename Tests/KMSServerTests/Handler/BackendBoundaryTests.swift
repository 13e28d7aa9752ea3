import Foundation
import KMSServer
import KeyStoreEngine
import Testing

/// What the endpoint hands the backend and what it makes of the answer, seen on `EndpointDouble`.
@Suite("Between the endpoint and its backend")
struct BackendBoundaryTests {
    @Test("A backend's KMSInternalException is HTTP 500 with its name and message; a client error is 400")
    func errorsKeepTheirNameAndStatus() async throws {
        try await withDouble { server async throws in
            server.double.failNext(with: KMSError(.kmsInternal, "the backend broke"))
            let fault = try await server.fails("DescribeKey", .fields(["KeyId": EndpointDouble.keyId.json]), with: "KMSInternalException", status: 500)
            #expect(fault.message == "the backend broke")
            server.double.failNext(with: KMSError(.kmsInvalidState, "\(EndpointDouble.keyArn) is unavailable."))
            let refused = try await server.fails("DisableKey", .fields(["KeyId": EndpointDouble.keyId.json]), with: "KMSInvalidStateException")
            #expect(refused.message == "\(EndpointDouble.keyArn) is unavailable.")
        }
    }

    @Test("Encrypt hands over the context and DryRun, and answers the backend's blob and key ARN")
    func encryptArguments() async throws {
        try await withDouble { server async throws in
            let answer = try await server.ok("Encrypt", .fields([
                "KeyId": EndpointDouble.keyId.json, "Plaintext": Data("hi".utf8).base64EncodedString().json,
                "EncryptionContext": .fields(["b": "2".json, "a": "1".json]), "DryRun": .bool(true),
            ]))
            #expect(server.double.calls == ["encrypt(a=1,b=2, dryRun: true)"])
            #expect(answer["KeyId"]?.stringValue == EndpointDouble.keyArn)
            #expect(answer["CiphertextBlob"]?.stringValue == (Data("double:".utf8) + Data("hi".utf8)).base64EncodedString())
        }
    }

    @Test("GenerateDataKey turns KeySpec into a byte count; ScheduleKeyDeletion's window defaults to 30 days")
    func defaultsAreTheEndpoints() async throws {
        try await withDouble { server async throws in
            try await server.ok("GenerateDataKey", .fields(["KeyId": EndpointDouble.keyId.json, "KeySpec": "AES_128".json]))
            try await server.ok("ScheduleKeyDeletion", .fields(["KeyId": EndpointDouble.keyId.json]))
            #expect(server.double.calls == ["generateDataKey(16)", "scheduleKeyDeletion(30)", "describeKey"])
        }
    }

    @Test("A request the endpoint refuses never reaches the backend")
    func refusalsStayInTheEndpoint() async throws {
        try await withDouble { server async throws in
            try await server.fails("Encrypt", .fields(["KeyId": EndpointDouble.keyId.json]), with: "ValidationException")
            try await server.fails("Encrypt", .fields(["KeyId": EndpointDouble.keyId.json, "Plaintext": "YQ==".json,
                                                       "EncryptionAlgorithm": "RSAES_OAEP_SHA_1".json]), with: "InvalidKeyUsageException")
            try await server.fails("CreateKey", .fields(["KeySpec": "RSA_2048".json]), with: "UnsupportedOperationException")
            try await server.fails("GenerateRandom", .fields([:]), with: "ValidationException")
            #expect(server.double.calls.isEmpty, "\(server.double.calls)")
        }
    }
}
