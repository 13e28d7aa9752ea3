import Foundation
import SigV4

/// What `cks-load` was asked to measure (see the comment at the top of main.swift).
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
    /// Where to write one wrk script per operation (`OP.lua`) instead of measuring.
    var wrkScripts: String?

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
            case "--wrk-scripts": options.wrkScripts = value
            default: fail("unknown option \(flag); see the comment at the top of Sources/CKSLoad/main.swift")
            }
        }
        return options
    }
}

/// Prints a usage error and exits with status 2.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("cks-load: \(message)\n".utf8))
    exit(2)
}
