// cks-load: a closed-loop load generator for KMS-compatible endpoints on loopback, for
// scripts/bench-server.sh. Each client is a thread with one keep-alive connection that sends the same
// signed request again as soon as the answer arrives. Prints one JSON line per operation and client count:
// requests, errors, requests per second, p50/p99/mean latency in ms.
//
//     cks-load --port 4599 --access-key AKID --secret-key SECRET [--key-id KEY | --key-store-id STORE]
//              [--ops ListKeys,DescribeKey,Encrypt,DescribeCustomKeyStores] [--clients 1,8] [--seconds 5] [--name cks]
//              [--wrk-scripts DIR]
// With --wrk-scripts it measures nothing: it writes DIR/OP.lua per operation, the same signed request for
// `wrk -s DIR/OP.lua` (valid for the 5 minutes a signature lasts), which prints the same JSON line.
import Foundation

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
let keyId = benchmarkKey(options)
if let directory = options.wrkScripts {
    for operation in options.operations {
        let script = operationRequest(options, operation, keyId: keyId).wrkScript(operation: operation)
        do {
            try Data(script.utf8).write(to: URL(fileURLWithPath: directory).appending(path: "\(operation).lua"))
        } catch {
            fail("cannot write the wrk script for \(operation) in \(directory): \(error)")
        }
    }
    exit(0)
}
for operation in options.operations {
    let prepared = operationRequest(options, operation, keyId: keyId)
    for clients in options.clientCounts {
        let run = ClosedLoop(host: options.host, port: options.port, request: prepared.bytes, clients: clients, seconds: options.seconds)
        let line = run.measure().jsonLine(server: options.name, operation: operation, clients: clients)
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
