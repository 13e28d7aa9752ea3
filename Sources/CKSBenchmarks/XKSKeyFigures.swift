import Foundation
import KeyStoreEngine
import KMSServer
import NIOCore
import NIOHTTP1
import NIOPosix
import SigV4
import Simulator
import XKSProxy

/// Encrypt through `cks serve` (the KMS endpoint on loopback, plain HTTP keep-alive, SigV4) on a key in an
/// external key store beside one in a CloudHSM key store: the XKS key's call crosses both hops (client → KMS,
/// KMS → the embedded proxy over HTTPS with keep-alive), the CloudHSM key's stays in the simulator.
/// `CKSBenchmarks xks-keys` runs only these figures.
enum XKSKeyFigures {
    static let seconds = 4.0
    static let host = "xks.bench.example.com"
    static let prefix = "/bench"

    static func run() async throws {
        let home = Benchmarks.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let service = try SimulatorService.open(home: home, pace: .instant, drive: true)
        defer { service.close() }
        let credential = ProxyCredential(accessKeyId: CredentialRules.generateAccessKeyId(),
                                         secretAccessKey: CredentialRules.generateSecret(), createdAt: Date())
        let proxy = try ProxyDatabase.open(home: home, create: true)
        try proxy.addKeyStore(prefix: prefix, credential: credential)
        try proxy.createKey(prefix: prefix, id: "bench-key", usages: [.encrypt, .decrypt], now: Date())
        proxy.close()
        _ = try await service.apply(.routeXKSHost(host: host, target: .embedded))
        let storeId = try await service.createKeyStore(CreateKeyStoreRequest(name: "bench-xks", external: XKSProxySettings(
            connectivity: .publicEndpoint, uriEndpoint: "https://\(host)", uriPath: prefix + "/kms/xks/v1",
            credential: XKSProxyCredential(accessKeyId: credential.accessKeyId, rawSecretAccessKey: credential.secretAccessKey))))
        try await service.connectKeyStore(id: storeId)
        for _ in 0..<500 where try await service.keyStore(idOrName: storeId).connectionState != .connected {
            try await Task.sleep(for: .milliseconds(20))
        }
        let store = try await service.keyStore(idOrName: storeId)
        guard store.connectionState == .connected else {
            throw BenchmarkFailure("the XKS store is \(store.connectionState.rawValue) \(store.connectionErrorCode?.rawValue ?? "")")
        }
        let xksKey = try await service.createKey(inKeyStore: storeId, description: "bench", xksKeyId: "bench-key")
        let hsmStore = try await service.allKeyStores().first { $0.type == .awsCloudHSM && $0.connectionState == .connected }
        guard let hsmStore else { throw BenchmarkFailure("the demo world has no CONNECTED CloudHSM key store") }
        let hsmKey = try await service.createKey(inKeyStore: hsmStore.id, description: "bench")

        let pair = try await service.serverCredentials()
        let handler = KMSRequestHandler(service: service, authentication: .sigV4(accessKeyId: pair.accessKeyId,
                                                                                 secretAccessKey: pair.secretAccessKey))
        let server = try await KMSHTTPServer.start(host: "127.0.0.1", port: 0, handler: handler, threads: 2)
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyId: pair.accessKeyId, secretAccessKey: pair.secretAccessKey),
                                 region: service.backend.region, service: "kms")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // A data key's worth of plaintext (32 bytes), as envelope encryption sends.
        let plaintext = Data(repeating: 0x5A, count: 32).base64EncodedString()
        for (name, key) in [("CloudHSM key", hsmKey), ("XKS key", xksKey)] {
            let body = #"{"KeyId":"\#(key.id)","Plaintext":"\#(plaintext)","EncryptionContext":{"bench":"xks"}}"#
            for clients in [1, 8] {
                let result = try await load(body: Array(body.utf8), signer: signer, clients: clients, group: group, port: server.port)
                let sorted = result.latencies.sorted()
                guard !sorted.isEmpty else { throw BenchmarkFailure("no answers for \(name)") }
                func percentile(_ p: Double) -> Double { Benchmarks.milliseconds(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) }
                Benchmarks.say(Benchmarks.pad("cks serve Encrypt, \(name), \(clients) client\(clients == 1 ? "" : "s")")
                    + String(format: "%8.0f req/s  p50 %.2f ms  p99 %.2f ms  errors %d", Double(sorted.count) / seconds,
                             percentile(0.5), percentile(0.99), result.errors))
            }
        }
        await server.stop()
        await service.shutdownProxyConnections()
        try await group.shutdownGracefully()
    }

    private static func load(
        body: [UInt8], signer: SigV4Signer, clients: Int, group: any EventLoopGroup, port: Int
    ) async throws -> (latencies: [Duration], errors: Int) {
        let connections = try await withThrowingTaskGroup(of: BenchConnection.self) { tasks in
            for _ in 0..<clients { tasks.addTask { try await BenchConnection.open(group: group, port: port) } }
            return try await tasks.reduce(into: [BenchConnection]()) { $0.append($1) }
        }
        func signed() -> SigV4Request {
            signer.sign(SigV4Request(method: "POST", path: "/", headers: [
                (name: "Host", value: "127.0.0.1:\(port)"), (name: "Content-Type", value: "application/x-amz-json-1.1"),
                (name: "X-Amz-Target", value: "TrentService.Encrypt"),
            ], body: body), date: Date())
        }
        for connection in connections {
            let warm = try await connection.send(signed())
            guard warm.status == 200 else { throw BenchmarkFailure("Encrypt answered \(warm.status) \(String(decoding: warm.body, as: UTF8.self))") }
        }
        let end = ContinuousClock.now.advanced(by: .seconds(seconds))
        let results = try await withThrowingTaskGroup(of: ([Duration], Int).self) { tasks in
            for connection in connections {
                tasks.addTask {
                    var latencies: [Duration] = []
                    var errors = 0
                    let request = signed()
                    while ContinuousClock.now < end {
                        let start = ContinuousClock.now
                        let answer = try await connection.send(request)
                        latencies.append(ContinuousClock.now - start)
                        if answer.status != 200 { errors += 1 }
                    }
                    return (latencies, errors)
                }
            }
            return try await tasks.reduce(into: ([Duration](), 0)) { $0.0 += $1.0; $0.1 += $1.1 }
        }
        for connection in connections { try await connection.close() }
        return results
    }
}
