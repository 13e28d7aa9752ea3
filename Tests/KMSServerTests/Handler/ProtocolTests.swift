import Foundation
import KMSServer
import KeyStoreEngine
import SigV4
import Testing

@Suite("The JSON 1.1 protocol: headers, targets, bodies and their refusals")
struct ProtocolTests {
    @Test("Every answer has Content-Type application/x-amz-json-1.1 and its own x-amzn-RequestId")
    func headers() async throws {
        try await withDouble { server async throws in
            let success = try await server.kms("ListKeys")
            let failure = try await server.kms("DescribeKey")
            var ids: Set<String> = []
            for answer in [success, failure] {
                #expect(answer.response.header("Content-Type") == "application/x-amz-json-1.1")
                let id = try #require(answer.response.header("x-amzn-RequestId"))
                #expect(UUID(uuidString: id) != nil)
                ids.insert(id)
            }
            #expect(ids.count == 2)
            #expect(success.status == 200 && failure.status == 400)
        }
    }

    @Test("No target, an unknown one, or a KMS operation not simulated: UnknownOperationException")
    func targets() async throws {
        try await withDouble { server async throws in
            let none = try await server.send(server.request(target: nil, body: "{}"))
            #expect(none.type == "UnknownOperationException" && none.status == 400)
            let unknown = try await server.send(server.request(target: "TrentService.MakeCoffee", body: "{}"))
            #expect(unknown.type == "UnknownOperationException")
            let other = try await server.send(server.request(target: "TrentService.CreateAlias", body: "{}"))
            #expect(other.type == "UnknownOperationException")
            #expect(other.message?.contains("does not simulate the KMS operation CreateAlias") == true)
            let service = try await server.send(server.request(target: "DynamoDB_20120810.ListTables", body: "{}"))
            #expect(service.type == "UnknownOperationException")
        }
    }

    @Test("Only POST / is served")
    func methodAndPath() async throws {
        try await withDouble(authentication: false) { server async throws in
            var get = server.request(target: "TrentService.ListKeys", body: "", credentials: nil)
            get.method = "GET"
            #expect(try await server.send(get).type == "UnknownOperationException")
            var path = server.request(target: "TrentService.ListKeys", body: "{}", credentials: nil)
            path.uri = "/admin"
            #expect(try await server.send(path).type == "UnknownOperationException")
            var query = server.request(target: "TrentService.ListKeys", body: "{}", credentials: nil)
            query.uri = "/?x=1"
            #expect(try await server.send(query).status == 200)
        }
    }

    @Test("Bodies: malformed JSON and wrong JSON types are SerializationException; an empty body is {}")
    func bodies() async throws {
        try await withDouble { server async throws in
            for body in ["{", "{\"KeyId\":}", "[]", "\"text\"", "42", "{\"KeyId\": \"a\"} trailing", "\u{FF}\u{FE}"] {
                let answer = try await server.send(server.request(target: "TrentService.DescribeKey", body: body))
                #expect(answer.type == "SerializationException", "\(body): \(answer)")
            }
            for body in ["{\"KeyId\": 42}", "{\"KeyId\": true}", "{\"KeyId\": {}}", "{\"KeyId\": [\"a\"]}"] {
                let answer = try await server.send(server.request(target: "TrentService.DescribeKey", body: body))
                #expect(answer.type == "SerializationException", "\(body): \(answer)")
            }
            let limit = try await server.send(server.request(target: "TrentService.ListKeys", body: "{\"Limit\": \"10\"}"))
            #expect(limit.type == "SerializationException")
            let huge = try await server.send(server.request(target: "TrentService.ListKeys", body: "{\"Limit\": 99999999999999999999999}"))
            #expect(huge.type == "SerializationException")
            let overflow = try await server.send(server.request(target: "TrentService.ListKeys", body: "{\"Limit\": 1e400}"))
            #expect(overflow.type == "SerializationException")
            let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
            #expect(try await server.send(server.request(target: "TrentService.ListKeys", body: "{\"Limit\": \(deep)}")).type == "SerializationException")
            #expect(try await server.send(server.request(target: "TrentService.ListKeys", body: "")).status == 200)
            #expect(try await server.send(server.request(target: "TrentService.ListKeys", body: "{\"Unknown\": 1, \"Limit\": null}")).status == 200)
        }
    }

    @Test("A Content-Type that is not JSON is refused")
    func contentType() async throws {
        try await withDouble(authentication: false) { server async throws in
            var request = server.request(target: "TrentService.ListKeys", body: "{}", credentials: nil)
            request.headers = request.headers.map { $0.name == "Content-Type" ? ($0.name, "text/html") : $0 }
            #expect(try await server.send(request).type == "SerializationException")
            request.headers = request.headers.map { $0.name == "Content-Type" ? ($0.name, "application/json; charset=utf-8") : $0 }
            #expect(try await server.send(request).status == 200)
        }
    }

    @Test("A body over 1 MiB: HTTP 413 with a JSON error")
    func tooLarge() async throws {
        try await withDouble { server async throws in
            let body = "{\"Description\": \"" + String(repeating: "x", count: KMSRequestHandler.maxBodyBytes) + "\"}"
            let answer = try await server.send(server.request(target: "TrentService.CreateKey", body: body))
            #expect(answer.status == 413)
            #expect(answer.type == "RequestEntityTooLargeException")
            #expect(KMSRequestHandler.tooLargeResponse().status == 413)
        }
    }
}
