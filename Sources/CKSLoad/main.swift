import Foundation
import SigV4

/// `cks-load`: a closed-loop load generator for KMS-compatible endpoints on loopback, for
/// scripts/bench-server.sh. Each client is a thread with one keep-alive connection that sends the same
/// signed request again as soon as the answer arrives. Prints one JSON line per operation and client count:
/// requests, errors, requests per second, p50/p99/mean latency in ms.
///
///     cks-load --port 4599 --access-key AKID --secret-key SECRET [--key-id KEY | --key-store-id STORE]
///              [--ops ListKeys,DescribeKey,Encrypt,DescribeCustomKeyStores] [--clients 1,8] [--seconds 5] [--name cks]
struct Options {
    var host = "127.0.0.1"
    var port: UInt16 = 4599
    var name = "server"
    var credentials = AWSCredentials(accessKeyId: "test", secretAccessKey: "test")
    var region = "us-east-1"
    var keyId: String?
    var keyStoreId: String?
    var operations = ["ListKeys", "DescribeKey", "Encrypt", "DescribeCustomKeyStores"]
    var clientCounts = [1, 8]
    var seconds = 5.0

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { fail("\(flag) needs a value") }
            switch flag {
            case "--host": options.host = value
            case "--port": options.port = UInt16(value) ?? { fail("--port \(value) is not a port") }()
            case "--name": options.name = value
            case "--access-key": options.credentials.accessKeyId = value
            case "--secret-key": options.credentials.secretAccessKey = value
            case "--region": options.region = value
            case "--key-id": options.keyId = value
            case "--key-store-id": options.keyStoreId = value
            case "--ops": options.operations = value.split(separator: ",").map(String.init)
            case "--clients": options.clientCounts = value.split(separator: ",").compactMap { Int($0) }
            case "--seconds": options.seconds = min(20, Double(value) ?? 5)
            default: fail("unknown option \(flag); see the comment at the top of Sources/CKSLoad/main.swift")
            }
        }
        return options
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("cks-load: \(message)\n".utf8))
    exit(2)
}

func request(_ options: Options, _ target: String, _ body: [String: Any]) -> SignedRequest {
    let json = String(decoding: try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self)
    return SignedRequest(host: options.host, port: options.port, target: target, body: json,
                         credentials: options.credentials, region: options.region)
}

/// The key the loops use: the one given, or a new one (in the custom key store, if one is given).
func benchmarkKey(_ options: Options) -> String {
    if let keyId = options.keyId { return keyId }
    var body: [String: Any] = ["Description": "cks-load"]
    if let store = options.keyStoreId {
        body["CustomKeyStoreId"] = store
        body["Origin"] = "AWS_CLOUDHSM"
    }
    do {
        let connection = try KeepAliveConnection(host: options.host, port: options.port)
        let answer = try connection.exchange(request(options, "TrentService.CreateKey", body).bytes)
        let json = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
        guard answer.status == 200, let metadata = json?["KeyMetadata"] as? [String: Any], let id = metadata["KeyId"] as? String else {
            fail("CreateKey answered \(answer.status): \(String(decoding: answer.body, as: UTF8.self))")
        }
        return id
    } catch {
        fail("CreateKey failed: \(error)")
    }
}

func operationRequest(_ options: Options, _ operation: String, keyId: String) -> SignedRequest {
    switch operation {
    case "ListKeys": request(options, "TrentService.ListKeys", [:])
    case "DescribeKey": request(options, "TrentService.DescribeKey", ["KeyId": keyId])
    case "Encrypt": request(options, "TrentService.Encrypt", ["KeyId": keyId, "Plaintext": "aGVsbG8ta21zLWJlbmNoLTMyLWJ5dGVzLXBheWxvYWQ="])
    case "DescribeCustomKeyStores": request(options, "TrentService.DescribeCustomKeyStores", [:])
    default: fail("unknown operation \(operation)")
    }
}

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
let keyId = benchmarkKey(options)
for operation in options.operations {
    let prepared = operationRequest(options, operation, keyId: keyId)
    for clients in options.clientCounts {
        let run = ClosedLoop(host: options.host, port: options.port, request: prepared.bytes, clients: clients, seconds: options.seconds)
        let line = run.measure().jsonLine(server: options.name, operation: operation, clients: clients)
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
