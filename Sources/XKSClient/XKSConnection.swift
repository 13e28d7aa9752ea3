import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS
import SigV4
import Synchronization

/// One HTTP/1.1 answer as it came off the wire.
struct XKSHTTPAnswer: Sendable {
    var status: Int
    var body: [UInt8]
    var keepAlive: Bool
}

/// How one attempt on one connection ended when it did not end with an answer.
enum XKSAttemptFailure: Error, Sendable {
    /// No TCP connection (refused, no route, DNS, no connection within the deadline).
    case noConnection(String)
    /// TCP connected but TLS did not come up.
    case tls(String)
    /// The deadline passed after the connection was made.
    case timedOut
    /// The connection closed or failed after TLS came up and before a whole answer arrived.
    case closed(String)
    /// The answer could not be read as HTTP, or was too large.
    case malformed(String)
}

/// One keep-alive HTTPS connection to a proxy, carrying one exchange at a time; the pool hands it out.
final class XKSConnection: Sendable {
    let channel: any Channel
    private let receiver: XKSAnswerReceiver

    private init(channel: any Channel, receiver: XKSAnswerReceiver) {
        self.channel = channel
        self.receiver = receiver
    }

    var isActive: Bool { channel.isActive }

    /// Dials `address`, runs the TLS handshake (SNI and the certificate checked against `host`), and returns
    /// when the connection is ready for requests, or how it failed, before `deadline`.
    static func open(
        to address: XKSProxyAddress, context: NIOSSLContext, group: any EventLoopGroup, deadline: NIODeadline
    ) async -> Result<XKSConnection, XKSAttemptFailure> {
        let remaining = deadline - .now()
        guard remaining > .zero else { return .failure(.timedOut) }
        let made = Mutex<XKSAnswerReceiver?>(nil)
        // SNI cannot carry an IP address; without it NIOSSL checks the certificate against the dialled address.
        let serverName = XKSHostCheck.ipBytes(address.host) == nil ? address.host : nil
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(remaining)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let receiver = XKSAnswerReceiver(host: address.host, handshake: channel.eventLoop.makePromise())
                        made.withLock { $0 = receiver }
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                        try pipeline.addHTTPClientHandlers()
                        try pipeline.addHandler(receiver)
                    }
                }
                .connect(host: address.address, port: address.port).get()
        } catch {
            return .failure(.noConnection(Self.describeConnectFailure(error, address: address, remaining: remaining)))
        }
        guard let receiver = made.withLock({ $0 }) else {
            try? await channel.close()
            return .failure(.noConnection("the connection could not be set up"))
        }
        let timer = channel.eventLoop.scheduleTask(deadline: deadline) {
            receiver.handshakeTimedOut()
            channel.close(promise: nil)
        }
        do {
            try await receiver.handshakeDone.get()
            timer.cancel()
            return .success(XKSConnection(channel: channel, receiver: receiver))
        } catch {
            timer.cancel()
            try? await channel.close()
            if case XKSAttemptFailure.timedOut = error { return .failure(.timedOut) }
            return .failure(.tls(Self.describeTLSFailure(error)))
        }
    }

    /// Sends `request` and waits for its answer until `deadline`. A timed-out or failed connection is closed.
    func exchange(_ request: SigV4Request, deadline: NIODeadline) async -> Result<XKSHTTPAnswer, XKSAttemptFailure> {
        guard deadline > .now() else { return .failure(.timedOut) }
        let channel = channel
        let receiver = receiver
        let promise = channel.eventLoop.makePromise(of: XKSHTTPAnswer.self)
        var headers = HTTPHeaders(request.headers.map { ($0.name, $0.value) })
        headers.add(name: "Content-Length", value: String(request.body.count))
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: request.path, headers: headers)
        let body = request.body
        channel.eventLoop.execute {
            guard receiver.expect(promise) else { return }
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        let timer = channel.eventLoop.scheduleTask(deadline: deadline) {
            promise.fail(XKSAttemptFailure.timedOut)
            channel.close(promise: nil)
        }
        do {
            let answer = try await promise.futureResult.get()
            timer.cancel()
            if !answer.keepAlive { close() }
            return .success(answer)
        } catch let failure as XKSAttemptFailure {
            timer.cancel()
            close()
            return .failure(failure)
        } catch {
            timer.cancel()
            close()
            return .failure(.closed("\(error)"))
        }
    }

    func close() {
        channel.close(promise: nil)
    }

    private static func describeConnectFailure(_ error: any Error, address: XKSProxyAddress, remaining: TimeAmount) -> String {
        let target = "\(address.address):\(address.port)"
        if let connection = error as? NIOConnectionError {
            if let dns = connection.dnsAError ?? connection.dnsAAAAError {
                return "cannot resolve \(address.address): \(dns)"
            }
            if let first = connection.connectionErrors.first {
                return "cannot connect to \(target): \(describeSocketError(first.error))"
            }
        }
        if case ChannelError.connectTimeout = error {
            return "no TCP connection to \(target) within \(remaining.nanoseconds / 1_000_000) ms"
        }
        return "cannot connect to \(target): \(describeSocketError(error))"
    }

    private static func describeSocketError(_ error: any Error) -> String {
        if let io = error as? IOError {
            return String(cString: strerror(io.errnoCode)).lowercased()
        }
        return "\(error)"
    }

    private static func describeTLSFailure(_ error: any Error) -> String {
        if case XKSAttemptFailure.closed = error { return "the proxy closed the connection during the TLS handshake" }
        if case let XKSAttemptFailure.tls(detail) = error { return detail }
        if let mismatch = error as? XKSHostCheck.Mismatch { return mismatch.description }
        return "the TLS handshake failed: \(error)"
    }
}

/// The end of a proxy connection's pipeline: reports the TLS handshake, then collects one answer at a time.
/// Touched only on its channel's event loop.
final class XKSAnswerReceiver: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    static let maxBodyBytes = 1 << 20

    private let host: String
    private let handshake: EventLoopPromise<Void>
    private var handshakeComplete = false
    private var waiting: EventLoopPromise<XKSHTTPAnswer>?
    private var status = 0
    private var keepAlive = true
    private var body: [UInt8] = []
    private var oversized = false

    init(host: String, handshake: EventLoopPromise<Void>) {
        self.host = host
        self.handshake = handshake
    }

    var handshakeDone: EventLoopFuture<Void> { handshake.futureResult }

    func handshakeTimedOut() {
        guard !handshakeComplete else { return }
        handshakeComplete = true
        handshake.fail(XKSAttemptFailure.timedOut)
    }

    /// Takes the promise for the next answer; false (and the promise failed) when the connection is gone.
    func expect(_ promise: EventLoopPromise<XKSHTTPAnswer>) -> Bool {
        guard waiting == nil else {
            promise.fail(XKSAttemptFailure.closed("the connection is busy"))
            return false
        }
        waiting = promise
        return true
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event, !handshakeComplete {
            handshakeComplete = true
            do {
                guard let certificate = try context.pipeline.syncOperations.nioSSL_peerCertificate() else {
                    throw XKSAttemptFailure.tls("the proxy presented no certificate")
                }
                try XKSHostCheck.check(certificate, host: host)
                handshake.succeed(())
            } catch {
                handshake.fail(error)
                context.close(promise: nil)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            status = Int(head.status.code)
            keepAlive = head.isKeepAlive
            body = []
            oversized = false
        case var .body(buffer):
            if body.count + buffer.readableBytes > Self.maxBodyBytes {
                oversized = true
            } else {
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            }
        case .end:
            let promise = waiting
            waiting = nil
            if oversized {
                promise?.fail(XKSAttemptFailure.malformed("the answer is larger than \(Self.maxBodyBytes) bytes"))
                context.close(promise: nil)
            } else {
                promise?.succeed(XKSHTTPAnswer(status: status, body: body, keepAlive: keepAlive))
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !handshakeComplete {
            handshakeComplete = true
            handshake.fail(error)
        } else if let promise = waiting {
            waiting = nil
            if error is HTTPParserError {
                promise.fail(XKSAttemptFailure.malformed("the answer is not HTTP/1.1: \(error)"))
            } else {
                promise.fail(XKSAttemptFailure.closed("\(error)"))
            }
        }
        context.close(promise: nil)
    }

    /// Fails what is still waiting: a channel that never connected is dropped without going inactive.
    func handlerRemoved(context: ChannelHandlerContext) {
        if !handshakeComplete {
            handshakeComplete = true
            handshake.fail(XKSAttemptFailure.closed("closed"))
        }
        if let promise = waiting {
            waiting = nil
            promise.fail(XKSAttemptFailure.closed("the connection closed before an answer"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !handshakeComplete {
            handshakeComplete = true
            handshake.fail(XKSAttemptFailure.closed("closed"))
        }
        if let promise = waiting {
            waiting = nil
            promise.fail(XKSAttemptFailure.closed("the proxy closed the connection before answering"))
        }
        context.fireChannelInactive()
    }
}
