import Foundation
import LocalCA
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SigV4
import Synchronization
import XKS
import XKSProxy

/// The XKS proxy over HTTPS keep-alive: Encrypt and Decrypt with 1 and 8 clients, each a TLS connection
/// sending signed requests one after the other (as KMS's connections do). KMS allows 1,800 XKS requests/s
/// per account and wants a round trip under 35 ms. `CKSBenchmarks xks-proxy` runs only these figures.
enum XKSProxyFigures {
    static let seconds = 5.0

    static func run() async throws {
        let home = Benchmarks.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let database = try ProxyDatabase.open(home: home, create: true)
        let credential = ProxyCredential(accessKeyId: CredentialRules.generateAccessKeyId(),
                                         secretAccessKey: CredentialRules.generateSecret(), createdAt: Date())
        try database.addKeyStore(prefix: "/bench", credential: credential)
        try database.createKey(prefix: "/bench", id: "bench-key", usages: [.encrypt, .decrypt], now: Date())
        database.close()
        let ca = try LocalCA.loadOrCreate(home: home)
        let proxy = try await RunningXKSProxy.start(home: home, host: "127.0.0.1", port: 0,
                                                    tls: ProxyTLSOptions(ca: ca, hostNames: ProxyTLSOptions.loopbackNames))
        let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(ca.certificatePEM.utf8), format: .pem)])
        let context = try NIOSSLContext(configuration: tls)

        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey),
                                 region: "us-east-1", service: XKSProxyEngine.signingService)
        let host = "localhost:\(proxy.port)"
        func signed(_ operation: String, _ body: [String: Any]) throws -> SigV4Request {
            let data = Array(try JSONSerialization.data(withJSONObject: body))
            var request = signer.sign(SigV4Request(method: "POST", path: "/bench/kms/xks/v1/keys/bench-key/\(operation)",
                                                   headers: [("Host", host)], body: data), date: Date())
            request.headers.append((name: "Content-Type", value: "application/json"))
            return request
        }
        let metadata: [String: Any] = ["kmsRequestId": UUID().uuidString, "kmsOperation": "Encrypt",
                                       "awsPrincipalArn": "arn:aws:iam::123456789012:user/bench",
                                       "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/bench"]
        // A KMS-sized payload: a data key's 32 bytes wrapped by KMS's own layer (about 100 bytes), and an AAD.
        let plaintext = XKSBase64.encode(Array(repeating: 0x5A, count: 128))
        let aad = XKSBase64.encode(Array("kms-encryption-context-hash-and-arn".utf8))
        let encrypt = try signed("encrypt", ["requestMetadata": metadata, "plaintext": plaintext, "encryptionAlgorithm": "AES_GCM",
                                             "additionalAuthenticatedData": aad, "ciphertextDataIntegrityValueAlgorithm": "SHA_256"])
        let probe = try await BenchConnection.open(group: clientGroup, port: proxy.port, context: context)
        let sealed = try await probe.send(encrypt)
        guard sealed.status == 200, let answer = try JSONSerialization.jsonObject(with: Data(sealed.body)) as? [String: Any] else {
            throw BenchmarkFailure("Encrypt answered \(sealed.status) \(String(decoding: sealed.body, as: UTF8.self))")
        }
        try await probe.close()
        var decryptBody: [String: Any] = ["requestMetadata": metadata, "encryptionAlgorithm": "AES_GCM", "additionalAuthenticatedData": aad]
        for field in ["ciphertext", "ciphertextMetadata", "initializationVector", "authenticationTag"] { decryptBody[field] = answer[field] }
        let decrypt = try signed("decrypt", decryptBody)

        for (name, request) in [("Encrypt", encrypt), ("Decrypt", decrypt)] {
            for (clients, rate) in [(1, nil), (8, nil), (8, 1_800.0)] {
                let result = try await load(request, clients: clients, rate: rate, group: clientGroup, port: proxy.port, context: context)
                let sorted = result.latencies.sorted()
                func percentile(_ p: Double) -> Double { Benchmarks.milliseconds(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) }
                let paced = rate.map { String(format: " at %.0f/s", $0) } ?? ""
                Benchmarks.say(Benchmarks.pad("xks-proxy HTTPS keep-alive \(name), \(clients) client\(clients == 1 ? "" : "s")\(paced)")
                    + String(format: "%8.0f req/s  p50 %.2f ms  p99 %.2f ms  errors %d", Double(sorted.count) / seconds,
                             percentile(0.5), percentile(0.99), result.errors))
            }
        }
        await proxy.stop()
        try await clientGroup.shutdownGracefully()
    }

    private static func load(
        _ request: SigV4Request, clients: Int, rate: Double?, group: any EventLoopGroup, port: Int, context: NIOSSLContext
    ) async throws -> (latencies: [Duration], errors: Int) {
        let connections = try await withThrowingTaskGroup(of: BenchConnection.self) { tasks in
            for _ in 0..<clients { tasks.addTask { try await BenchConnection.open(group: group, port: port, context: context) } }
            return try await tasks.reduce(into: [BenchConnection]()) { $0.append($1) }
        }
        for connection in connections { _ = try await connection.send(request) }
        let begin = ContinuousClock.now
        let end = begin.advanced(by: .seconds(seconds))
        // Paced: each client sends on a schedule (the total is `rate`), and latency counts from the scheduled
        // time, so a late answer also delays what follows it (no coordinated omission). Unpaced: as fast as
        // answers come back.
        let interval = rate.map { Duration.seconds(Double(clients) / $0) }
        let results = try await withThrowingTaskGroup(of: ([Duration], Int).self) { tasks in
            for (index, connection) in connections.enumerated() {
                tasks.addTask {
                    var latencies: [Duration] = []
                    var errors = 0
                    var scheduled = begin.advanced(by: (interval ?? .zero) * (Double(index) / Double(clients)))
                    while ContinuousClock.now < end {
                        if let interval {
                            if ContinuousClock.now < scheduled { try await Task.sleep(until: scheduled) }
                        } else {
                            scheduled = ContinuousClock.now
                        }
                        let start = scheduled
                        if let interval { scheduled = scheduled.advanced(by: interval) }
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
