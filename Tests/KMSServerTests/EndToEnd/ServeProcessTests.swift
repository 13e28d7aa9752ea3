import CKSTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `cks serve` binary: its banner, its signals, its port, and HTTP that no SDK would send.
@Suite("cks serve as a process")
struct ServeProcessTests {
    @Test("It prints where it listens and the exact export line; SIGTERM stops it with status 0")
    func bannerAndSigterm() async throws {
        let server = try await ServeProcess()
        let banner = server.process.stdout
        #expect(banner.contains("cks serve: KMS endpoint on http://127.0.0.1:\(server.port)"))
        #expect(banner.contains("aws kms describe-custom-key-stores --endpoint-url http://127.0.0.1:\(server.port)"))
        let accessKeyId = try #require(server.accessKeyId)
        let secret = try #require(server.secretAccessKey)
        #expect(banner.contains("export AWS_ACCESS_KEY_ID=\(accessKeyId) AWS_SECRET_ACCESS_KEY=\(secret) AWS_DEFAULT_REGION=us-east-1"))
        #expect(accessKeyId.hasPrefix("AKIA") && accessKeyId.count == 20)
        let stopped = try await server.stop()
        #expect(stopped.status == 0, "\(stopped)")
        #expect(!stopped.timedOut)
        #expect(stopped.stdout.contains("cks serve: stopped."))
    }

    @Test("SIGINT (Ctrl-C) stops it with status 0, even with a connection open")
    func sigint() async throws {
        let server = try await ServeProcess()
        let port = server.port
        // A keep-alive connection left open on a thread of its own, once the server has answered on it.
        let answered = Mutex(false)
        let open = Thread {
            _ = try? RawHTTP.blockingExchange(port: port, Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}".utf8), bound: 20) {
                answered.withLock { $0 = true }
            }
        }
        open.start()
        try await eventually("an answer on the open connection") { answered.withLock { $0 } }
        server.process.send(SIGINT)
        let stopped = try await server.process.result(bound: .testWaitBound)
        #expect(stopped.status == 0, "\(stopped)")
    }

    @Test("A port in use is a clear error with status 2")
    func portInUse() async throws {
        let first = try await ServeProcess()
        let second = try await Processes.run(Tools.cks.path, ["serve", "--port", String(first.port)],
                                             environment: ServeProcess.environment(home: first.home), bound: .testWaitBound)
        #expect(second.status == 2, "\(second)")
        #expect(second.stderr.contains("Port \(first.port) on 127.0.0.1 is already in use"), "\(second)")
        _ = try await first.stop()
    }

    @Test("Bad usage: --no-auth with --credentials, credentials without a colon, a port out of range")
    func badUsage() async throws {
        let home = FileManager.default.temporaryDirectory.appending(path: "cks-serve-usage-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: home) }
        for arguments in [["--no-auth", "--credentials", "A:B"], ["--credentials", "nocolon"], ["--port", "70000"]] {
            let result = try await Processes.run(Tools.cks.path, ["serve"] + arguments, environment: ServeProcess.environment(home: home))
            #expect(result.status == 2, "\(result)")
        }
    }

    @Test("--no-auth is announced loudly and serves unsigned requests")
    func noAuth() async throws {
        let server = try await ServeProcess(arguments: ["--no-auth"])
        #expect(server.process.stderr.contains("WARNING: --no-auth is on"))
        let reply = try await RawHTTP.exchange(port: server.port, request(target: "TrentService.ListKeys", body: "{}"))
        #expect(reply.hasPrefix("HTTP/1.1 200 OK"), "\(reply)")
        #expect(reply.contains("\"Keys\""))
        _ = try await server.stop()
    }

    @Test("HTTP that no SDK sends: garbage, pipelining, an oversized body — JSON answers, never HTML")
    func rawHTTP() async throws {
        let server = try await ServeProcess()
        let garbage = try await RawHTTP.exchange(port: server.port, Array("NOT HTTP AT ALL\r\n\r\n".utf8))
        #expect(garbage.hasPrefix("HTTP/1.1 400"), "\(garbage)")
        #expect(garbage.contains("application/x-amz-json-1.1") && garbage.contains("\"__type\":\"SerializationException\""))

        let pipelined = try await RawHTTP.exchange(port: server.port,
                                             request(target: "TrentService.ListKeys", body: "{}", close: false)
                                                 + request(target: "TrentService.DescribeKey", body: "{}"))
        #expect(pipelined.components(separatedBy: "HTTP/1.1 400").count == 3, "\(pipelined)")
        #expect(pipelined.components(separatedBy: "MissingAuthenticationTokenException").count == 3)

        let huge = try await RawHTTP.exchange(port: server.port, Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n".utf8)
                                            + [UInt8](repeating: 0x20, count: 100_000))
        #expect(huge.hasPrefix("HTTP/1.1 413"), "\(huge)")
        #expect(huge.contains("RequestEntityTooLargeException"))
        #expect(!huge.lowercased().contains("<html"))
        _ = try await server.stop()
    }

    private func request(target: String, body: String, close: Bool = true) -> [UInt8] {
        Array(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: \(target)\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\(close ? "Connection: close\r\n" : "")\r\n\(body)").utf8)
    }
}
