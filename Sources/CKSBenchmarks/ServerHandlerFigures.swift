import Foundation
import KeyStoreEngine
import KMSServer
import SigV4
import Simulator

/// The KMS endpoint's own cost, without sockets: one SigV4-signed request through `KMSRequestHandler`, as
/// `cks serve` answers it once NIO has read it. Beside the loopback figures of scripts/bench-server.sh it
/// tells the handler's share of a round trip.
enum ServerHandlerFigures {
    static func run() async throws {
        let home = Benchmarks.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let service = try SimulatorService.open(home: home, pace: .instant, drive: false)
        defer { service.close() }
        let pair = try await service.serverCredentials()
        let handler = KMSRequestHandler(service: service, authentication: .sigV4(accessKeyId: pair.accessKeyId,
                                                                                 secretAccessKey: pair.secretAccessKey))
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyId: pair.accessKeyId, secretAccessKey: pair.secretAccessKey),
                                 region: service.backend.region, service: "kms")
        func signed(_ operation: String, _ body: String) -> ServerRequest {
            let request = signer.sign(SigV4Request(method: "POST", path: "/", headers: [
                (name: "Host", value: "127.0.0.1:4599"), (name: "Content-Type", value: "application/x-amz-json-1.1"),
                (name: "X-Amz-Target", value: "TrentService." + operation),
            ], body: Array(body.utf8)), date: Date())
            return ServerRequest(method: "POST", uri: "/", headers: request.headers, body: request.body)
        }
        let created = await handler.handle(signed("CreateKey", #"{"CustomKeyStoreId":"cks-1a2b3c4d5e6f70819","Origin":"AWS_CLOUDHSM"}"#),
                                           now: Date())
        guard let keyId = try JSONValue.parse(Data(created.body))["KeyMetadata"]?["KeyId"]?.stringValue else {
            throw BenchmarkFailure("CreateKey answered \(String(decoding: created.body, as: UTF8.self))")
        }
        let requests = [
            ("ListKeys", signed("ListKeys", "{}")),
            ("DescribeKey", signed("DescribeKey", #"{"KeyId":"\#(keyId)"}"#)),
            ("Encrypt", signed("Encrypt", #"{"KeyId":"\#(keyId)","Plaintext":"aGVsbG8ta21zLWJlbmNoLTMyLWJ5dGVzLXBheWxvYWQ="}"#)),
            ("DescribeCustomKeyStores", signed("DescribeCustomKeyStores", "{}")),
        ]
        for (operation, request) in requests {
            let first = await handler.handle(request, now: Date())
            precondition(first.status == 200, "\(operation): \(String(decoding: first.body, as: UTF8.self))")
            let samples = try await Benchmarks.measure(iterations: 5_000) {
                _ = await handler.handle(request, now: Date())
            }
            Benchmarks.report("server handler, in process: signed \(operation)", samples)
        }
    }
}

/// A benchmark that could not set itself up.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
