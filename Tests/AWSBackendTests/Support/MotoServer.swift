import AWSBackend
import CKSTestSupport
import Foundation

/// moto's server on a free loopback port, for the calls moto implements (ListKeys, DescribeKey, CreateKey,
/// CloudHSMv2 CreateCluster and DescribeClusters). Stopped when dropped.
final class MotoServer: Sendable {
    static let executable = Host.which("moto_server")
    let process: ChildProcess
    let url: URL

    private init(process: ChildProcess, url: URL) {
        self.process = process
        self.url = url
    }

    /// Starts moto_server and waits (at most 60 s) until it accepts connections.
    static func start() async throws -> MotoServer {
        guard let executable else { throw TimedOut(what: "moto_server on PATH") }
        let port = try Host.freePort()
        let process = try ChildProcess(executable, ["-H", "127.0.0.1", "-p", String(port)],
                                       environment: ProcessInfo.processInfo.environment, watched: true,
                                       stopsWhenDropped: true)
        try await eventually("moto_server to listen on \(port)") {
            guard process.isRunning else { throw TimedOut(what: "moto_server, which ended: \(process.stderr.suffix(800))") }
            return Host.isListening(port)
        }
        return MotoServer(process: process, url: URL(string: "http://127.0.0.1:\(port)")!)
    }

    func settings(region: String = "us-east-1") -> AWSSettings {
        AWSSettings(profile: "default", region: region, customEndpoint: url,
                    credentials: .fixed(.init(accessKeyId: "testing", secretAccessKey: "testing"), origin: "test"))
    }

    func service(region: String = "us-east-1") -> AWSKeyStoreService {
        AWSKeyStoreService(settings: settings(region: region),
                           environment: AWSEnvironment(variables: [:], homeDirectory: "/nonexistent"))
    }

    /// A raw client for operations cks itself does not call (moto's CreateKey, CreateCluster).
    func client(_ service: AWSJSONClient.Service, region: String = "us-east-1") -> AWSJSONClient {
        let settings = settings(region: region)
        return AWSJSONClient(service: service, endpoint: url, region: region,
                             credentials: CredentialsProvider(source: settings.credentials))
    }
}
