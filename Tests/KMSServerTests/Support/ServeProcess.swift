import CKSTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real `cks serve` on a port the system chose, with a world of its own (CKS_HOME in a temporary folder,
/// CKS_PACE=instant). `stop()` sends SIGTERM and waits; the folder goes when the value does.
final class ServeProcess: Sendable {
    let home: URL
    let process: RunningProcess
    let url: String
    let port: Int
    /// From the `export AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=…` line (`test` with --no-auth).
    let accessKeyId: String?
    let secretAccessKey: String?

    /// Starts the server and waits (at most 60 s) for the line that says where it listens.
    init(arguments: [String] = [], home existing: URL? = nil) async throws {
        let home = existing ?? FileManager.default.temporaryDirectory.appending(path: "cks-serve-e2e-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        self.home = home
        let process = try Processes.start(Tools.cks.path, ["serve", "--port", "0"] + arguments,
                                          environment: Self.environment(home: home))
        self.process = process
        let banner = try await poll("cks serve to say where it listens", bound: .testWaitBound) { () -> String? in
            if process.hasExited { throw TestFailure("cks serve ended early:\n\(process.stdout)\n\(process.stderr)") }
            let text = process.stdout
            return text.contains("Ctrl-C stops the server.") ? text : nil
        }
        guard let range = banner.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression),
              let port = Int(banner[range].split(separator: ":").last ?? "") else {
            throw TestFailure("no URL in the banner:\n\(banner)")
        }
        url = String(banner[range])
        self.port = port
        accessKeyId = Self.value(of: "AWS_ACCESS_KEY_ID", in: banner)
        secretAccessKey = Self.value(of: "AWS_SECRET_ACCESS_KEY", in: banner)
    }

    deinit {
        process.send(SIGKILL)
        try? FileManager.default.removeItem(at: home)
    }

    static func environment(home: URL) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["CKS_PACE", "XDG_DATA_HOME", "NO_COLOR"] { environment[name] = nil }
        environment["CKS_HOME"] = home.path
        environment["CKS_PACE"] = "instant"
        environment["LC_ALL"] = "C.UTF-8"
        // A debug build's TLS handshake to the embedded proxy can take longer than KMS's 250 ms on a loaded machine.
        environment["CKS_XKS_TIMEOUT_MS"] = "15000"
        return environment
    }

    private static func value(of name: String, in banner: String) -> String? {
        let words = banner.split(whereSeparator: { $0 == " " || $0 == "\n" })
        return words.first { $0.hasPrefix("\(name)=") }.map { String($0.dropFirst(name.count + 1)) }
    }

    /// Sends SIGTERM and waits for the exit (at most 30 s).
    func stop() async throws -> ProcessResult {
        process.send(SIGTERM)
        return try await process.result(bound: .testWaitBound)
    }

    // MARK: Clients

    /// The environment of an aws CLI or boto3 run: the printed credentials (or `credentials`), us-east-1, and no
    /// configuration files of the machine.
    func clientEnvironment(accessKeyId: String? = nil, secretAccessKey: String? = nil) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in environment.keys where name.hasPrefix("AWS_") { environment[name] = nil }
        environment["AWS_ACCESS_KEY_ID"] = accessKeyId ?? self.accessKeyId ?? "test"
        environment["AWS_SECRET_ACCESS_KEY"] = secretAccessKey ?? self.secretAccessKey ?? "test"
        environment["AWS_DEFAULT_REGION"] = "us-east-1"
        environment["AWS_CONFIG_FILE"] = home.appending(path: "no-aws-config").path
        environment["AWS_SHARED_CREDENTIALS_FILE"] = home.appending(path: "no-aws-credentials").path
        environment["AWS_PAGER"] = ""
        environment["AWS_MAX_ATTEMPTS"] = "1"
        return environment
    }

    /// Runs `aws <service> <arguments> --endpoint-url <url> --output json`.
    func aws(_ arguments: [String], accessKeyId: String? = nil, secretAccessKey: String? = nil) async throws -> ProcessResult {
        guard let aws = Tools.aws else { throw TestFailure("no aws CLI") }
        return try await Processes.run(aws, arguments + ["--endpoint-url", url, "--output", "json"],
                                       environment: clientEnvironment(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey),
                                       bound: .testWaitBound)
    }

    /// Runs an aws command that must succeed and returns its JSON output.
    func awsJSON(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONObject {
        let result = try await aws(arguments)
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result.stdout.isEmpty ? JSONObject([:]) : try result.json()
    }

    /// Runs another `cks` command on the same world.
    func cks(_ arguments: [String]) async throws -> ProcessResult {
        try await Processes.run(Tools.cks.path, arguments, environment: Self.environment(home: home))
    }
}

/// A tiny HTTP/1.1 client on a raw socket, for what the SDKs never send (garbage, pipelining, huge bodies).
enum RawHTTP {
    /// Sends `bytes` to 127.0.0.1:`port` and reads until the server closes (send `Connection: close`) or
    /// `bound` seconds pass without data, on a thread of its own (not the cooperative pool's).
    static func exchange(port: Int, _ bytes: [UInt8], bound: Int = 10) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try blockingExchange(port: port, bytes, bound: bound) })
            }.start()
        }
    }

    /// `exchange` on the calling thread; `answered` runs when the first bytes of the reply arrive.
    static func blockingExchange(port: Int, _ bytes: [UInt8], bound: Int = 10, answered: (() -> Void)? = nil) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: bound, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("cannot connect to port \(port)") }
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { break }  // the server may refuse early and close
            sent += count
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            if received.isEmpty { answered?() }
            received += chunk[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
