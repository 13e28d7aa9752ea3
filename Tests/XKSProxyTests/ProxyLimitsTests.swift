import ChaosHarness
import CKSTestSupport
import Foundation
import HTTPServing
import NIOCore
import Testing
import XKSProxy

/// The proxy's limits, as `cks serve` has them, over real sockets on loopback with a short request timeout:
/// slow and idle connections close, a busy good client is never cut short, the connection limit makes room by
/// closing the longest-idle connection and refuses with an XKS ThrottlingException only when all are busy.
@Suite("XKS proxy limits")
struct ProxyLimitsTests {
    private static let ping = Array("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
    /// A request whose head came but whose 5-byte body has not: its connection is busy.
    private static let unfinished = Array("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\n".utf8)

    private func start(_ fixture: ProxyFixture, connections: Int, timeout: TimeAmount) async throws -> RunningXKSProxy {
        try await RunningXKSProxy.start(home: fixture.home, host: "127.0.0.1", port: 0, tls: nil, threads: 1,
                                        limits: ServerLimits(maxConnections: connections, requestTimeout: timeout))
    }

    private func errorName(_ answer: HTTPAnswer) -> String? {
        answer.json?["errorName"] as? String
    }

    @Test("A request that stops coming gets a 408 XKS ValidationException when the request timeout passes, then the connection closes; an idle keep-alive connection is closed")
    func slowAndIdleConnectionsClose() async throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        let proxy = try await start(fixture, connections: 8, timeout: .milliseconds(200))
        let port = proxy.port
        let (partial, idleAnswer, idleEnd) = try await offThePool { () throws -> (HTTPAnswer, HTTPAnswer, [UInt8]) in
            let slow = try LoopbackSocket(port: port, timeout: 60)
            try slow.send(Array("POST /kms/xks/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"requestMetadata\":".utf8))
            let partial = try slow.receiveAnswer()
            let idle = try LoopbackSocket(port: port, timeout: 60)
            try idle.send(Self.ping)
            let answer = try idle.receiveAnswer()
            return (partial, answer, try idle.receive())
        }
        #expect(partial.status == 408 && errorName(partial) == "ValidationException", "\(partial.status) \(String(decoding: partial.body, as: UTF8.self))")
        #expect((partial.json?["errorMessage"] as? String)?.contains("200 ms") == true)
        #expect(partial.headers["connection"] == "close")
        #expect(idleAnswer.status == 200)
        #expect(idleEnd.isEmpty, "the idle connection was closed")
        await proxy.stop()
    }

    @Test("An answer slower than the request timeout (the latency fault) still arrives, and the connection stays open for the next request")
    func busyClientIsNotCutShort() async throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        _ = try fixture.database.updateFaults { $0.latencyMilliseconds = 600 }
        let proxy = try await start(fixture, connections: 8, timeout: .milliseconds(200))
        let port = proxy.port
        let signed = KMSStyleSigner(credential: fixture.credential)
            .sign(path: "\(ProxyFixture.uriPath)/health", host: "127.0.0.1", body: XKSBodies.data(XKSBodies.health()))
        var request = "POST \(ProxyFixture.uriPath)/health HTTP/1.1\r\n"
        for header in signed.headers { request += "\(header.name): \(header.value)\r\n" }
        request += "Content-Length: \(signed.body.count)\r\n\r\n"
        let bytes = Array(request.utf8) + signed.body
        let (first, second) = try await offThePool { () throws -> (HTTPAnswer, HTTPAnswer) in
            let socket = try LoopbackSocket(port: port, timeout: 60)
            try socket.send(bytes)
            let first = try socket.receiveAnswer()
            try socket.send(Self.ping)
            return (first, try socket.receiveAnswer())
        }
        #expect(first.status == 200, "\(first.status) \(String(decoding: first.body, as: UTF8.self))")
        #expect(first.headers["connection"] != "close")
        #expect(second.status == 200)
        await proxy.stop()
    }

    @Test("At the connection limit a new connection is served and the longest-idle one is closed to make room")
    func longestIdleMakesRoom() async throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        let proxy = try await start(fixture, connections: 2, timeout: .seconds(60))
        let port = proxy.port
        let (newcomer, oldestEnd, younger) = try await offThePool { () throws -> (HTTPAnswer, [UInt8], HTTPAnswer) in
            let oldest = try LoopbackSocket(port: port, timeout: 60)
            try oldest.send(Self.ping)
            _ = try oldest.receiveAnswer()
            let younger = try LoopbackSocket(port: port, timeout: 60)
            try younger.send(Self.ping)
            _ = try younger.receiveAnswer()
            let newcomer = try LoopbackSocket(port: port, timeout: 60)
            try newcomer.send(Self.ping)
            let answer = try newcomer.receiveAnswer()
            let end = try oldest.receive()
            try younger.send(Self.ping)
            return (answer, end, try younger.receiveAnswer())
        }
        #expect(newcomer.status == 200)
        #expect(oldestEnd.isEmpty, "the longest-idle connection was closed")
        #expect(younger.status == 200, "the other idle connection still works")
        await proxy.stop()
    }

    @Test("When every connection is busy, a new one gets a 429 XKS ThrottlingException and closes; the busy ones are still answered")
    func allBusyRefusesNewcomer() async throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        let proxy = try await start(fixture, connections: 2, timeout: .seconds(60))
        let port = proxy.port
        let busy = try await offThePool { () throws -> [SendableSocket] in
            try (0..<2).map { _ in
                let socket = try LoopbackSocket(port: port, timeout: 60)
                try socket.send(Self.unfinished)
                return SendableSocket(socket: socket)
            }
        }
        try await eventually("both connections have a request under way") { proxy.server.connections.busy == 2 }
        let (refusal, finished) = try await offThePool { () throws -> (HTTPAnswer, [HTTPAnswer]) in
            let refused = try LoopbackSocket(port: port, timeout: 60)
            let refusal = try refused.receiveAnswer()
            let finished = try busy.map { held in
                try held.socket.send(Array("hello".utf8))
                return try held.socket.receiveAnswer()
            }
            return (refusal, finished)
        }
        #expect(refusal.status == 429 && errorName(refusal) == "ThrottlingException", "\(refusal.status) \(String(decoding: refusal.body, as: UTF8.self))")
        #expect(refusal.headers["connection"] == "close")
        #expect(finished.map(\.status) == [200, 200])
        await proxy.stop()
    }
}

/// A socket handed from one off-the-pool thread to the next, never used by two at once.
private struct SendableSocket: @unchecked Sendable {
    let socket: LoopbackSocket
}
