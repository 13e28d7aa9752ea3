import Foundation
import HTTPServing
import KMSServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `cks serve`'s request deadline over real sockets with a short timeout: one timer per connection watches
/// it, and each answer moves it, so a request that stops coming is refused a whole timeout after the last
/// answer (not after the connection opened), and an idle keep-alive connection is closed.
@Suite("cks serve request deadline")
struct RequestDeadlineTests {
    private static let timeout = 0.4
    private static let listKeys = Array("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Length: 2\r\n\r\n{}".utf8)
    private static let partial = Array("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Length: 100\r\n\r\n{\"Limit\":".utf8)

    /// A server on one event loop whose requests must arrive within `timeout`.
    private static func startServer() async throws -> KMSHTTPServer {
        try await KMSHTTPServer.start(
            host: "127.0.0.1", port: 0, handler: DoubleFixture(authentication: false).handler, threads: 1,
            limits: ServerLimits(maxConnections: 8, requestTimeout: .milliseconds(Int64(timeout * 1000))))
    }

    @Test("After answers on a keep-alive connection, a request that stops coming gets a 408 a whole timeout after the last answer, then the connection closes")
    func partialRequestAfterAnswers() async throws {
        let server = try await Self.startServer()
        let port = server.port
        let outcome = try await onOwnThread { () throws -> (answers: [Int], refusal: String, waited: Double, end: Int) in
            let socket = try TestSocket(port: port)
            var answers: [Int] = []
            var lastSent = Date()
            // Three answers, the last sent half a timeout after the connection opened: the timer armed when it
            // opened falls due before the deadline the last answer set, and must wait on. That deadline is
            // later than the last request was sent, so the refusal cannot come sooner than a timeout after it.
            for round in 0..<3 {
                if round > 0 { usleep(UInt32(Self.timeout / 4 * 1_000_000)) }
                lastSent = Date()
                try socket.send(Self.listKeys)
                answers.append(try socket.answer().status)
            }
            try socket.send(Self.partial)
            let refusal = try socket.answer()
            return (answers, refusal.head, Date().timeIntervalSince(lastSent), socket.readToEnd())
        }
        #expect(outcome.answers == [200, 200, 200])
        #expect(outcome.refusal.hasPrefix("HTTP/1.1 408"), "\(outcome.refusal)")
        #expect(outcome.refusal.lowercased().contains("connection: close"))
        #expect(outcome.waited >= Self.timeout, "refused \(outcome.waited) s after the last request was sent, before the timeout")
        #expect(outcome.end == 0, "the connection was closed")
        await server.stop()
    }

    @Test("An idle keep-alive connection is closed once the timeout passes after its last answer")
    func idleConnectionCloses() async throws {
        let server = try await Self.startServer()
        let port = server.port
        let (status, end) = try await onOwnThread { () throws -> (Int, Int) in
            let socket = try TestSocket(port: port)
            try socket.send(Self.listKeys)
            let status = try socket.answer().status
            return (status, socket.readToEnd())
        }
        #expect(status == 200)
        #expect(end == 0, "the idle connection was closed")
        await server.stop()
    }
}

/// Runs blocking socket work on a thread of its own, off the cooperative pool.
private func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// A blocking loopback client socket that reads whole HTTP/1.1 answers (head and Content-Length body).
private final class TestSocket {
    struct Failure: Error { let reason: String }

    private let descriptor: Int32
    private var pending: [UInt8] = []

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(reason: "connect: \(String(cString: strerror(errno)))") }
        var wait = timeval(tv_sec: 300, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8]) throws {
        let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw Failure(reason: "send") }
    }

    /// The next answer's status and head.
    func answer() throws -> (status: Int, head: String) {
        while true {
            if let end = pending.indices.dropLast(3).first(where: { pending[$0..<($0 + 4)].elementsEqual([13, 10, 13, 10]) }) {
                let head = String(decoding: pending[0..<end], as: UTF8.self)
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
                if pending.count >= end + 4 + length {
                    pending.removeFirst(end + 4 + length)
                    return (Int(head.dropFirst(9).prefix(3)) ?? 0, head)
                }
            }
            guard try receive() > 0 else { throw Failure(reason: "closed before a whole answer") }
        }
    }

    /// Reads until the server closes; the count of bytes that came first (0 when it only closed).
    func readToEnd() -> Int {
        var total = 0
        while let count = try? receive(), count > 0 { total += count }
        return total
    }

    private func receive() throws -> Int {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count >= 0 else { throw Failure(reason: "recv: \(String(cString: strerror(errno)))") }
        pending.append(contentsOf: buffer[0..<count])
        return count
    }
}
