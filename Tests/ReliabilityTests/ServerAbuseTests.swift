import ChaosHarness
import CKSTestSupport
import Foundation
import SigV4
import Testing

/// `cks serve` under abuse, kept short: every kind of hostile request, slow clients and a flood of idle
/// connections past its descriptor limit, while good clients keep calling (scripts/chaos runs the long one).
@Suite("server abuse")
struct ServerAbuseTests {
    @Test("Hostile requests of every kind get the right KMS JSON error, slow and surplus connections are closed, good clients are served, the server survives")
    func shortAbuse() async throws {
        let (exit, output) = try await ChaosCommand.run([
            "abuse", "--requests", "300", "--hostile-threads", "2", "--slow-clients", "2", "--flood", "320", "--flood-seconds", "1",
            "--server-file-limit", "256", "--good-clients", "1", "--good-client-pause", "0.005", "--seed", "20261205",
        ])
        #expect(exit?.isSuccess == true && output.contains("; 0 problems"), "\(output)")
        #expect(ChaosCommand.number(before: "answered with a KMS JSON error", in: output).map { $0 + (ChaosCommand.number(before: "closed)", in: output) ?? 0) } == 300,
                "every hostile request was answered or closed: \(output)")
        #expect((ChaosCommand.number(before: "closed to make room", in: output) ?? 0) > 0, "the server made room by closing idle connections: \(output)")
        #expect(!output.contains("good clients 0.00%"), "\(output)")
    }

    @Test("A request whose body stops coming gets a 408 RequestTimeoutException when the request timeout passes, then the connection closes")
    func partialRequestTimesOut() async throws {
        let home = FileManager.default.temporaryDirectory.appending(path: "cks-partial-\(UUID().uuidString.prefix(12))")
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = ProcessInfo.processInfo.environment
        environment["CKS_HOME"] = home.path
        environment["CKS_PACE"] = "instant"
        let port = try ChaosRun.freePort()
        let server = try ChildProcess(Executables.cks.path, ["serve", "--port", "\(port)", "--no-auth"], environment: environment,
                                      stopsWhenDropped: true)
        defer { server.send(SIGKILL) }
        let deadline = Date().addingTimeInterval(60)
        while !server.stdout.contains("Ctrl-C stops the server.") && server.isRunning && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Length: 100\r\n\r\n{\"Limit\":"
        let answer = try await offThePool { () throws -> HTTPAnswer in
            let socket = try LoopbackSocket(port: port, timeout: 90)
            try socket.send(Array(head.utf8))
            return try socket.receiveAnswer()
        }
        #expect(answer.status == 408 && answer.errorType == "RequestTimeoutException", "\(answer.status) \(String(decoding: answer.body, as: UTF8.self))")
        #expect(answer.headers["connection"] == "close")
        #expect(server.isRunning)
    }
}
