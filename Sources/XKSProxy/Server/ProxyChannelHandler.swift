import Foundation
import HTTPServing
import NIOCore
import NIOHTTP1

/// One connection's HTTP/1.1 exchange: collects a request (bodies over the limit get 413 and the
/// connection closes), answers it with the engine on the event loop, waits out the latency fault, writes
/// the answer with keep-alive and logs the request. A request must arrive whole within `requestTimeout` of
/// the connection opening or of the last answer: a partial one then gets a 408, an idle connection is closed;
/// a request being answered (the latency fault included) is never cut short.
final class ProxyChannelHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let engine: XKSProxyEngine
    private let log: RequestLog?
    private let requestTimeout: TimeAmount
    private let connections: ConnectionRegistry?
    private var collector = RequestCollector(maxBodyBytes: XKSProxyEngine.maxBodyBytes)
    private var deadline: Scheduled<Void>?

    init(engine: XKSProxyEngine, log: RequestLog?, requestTimeout: TimeAmount, connections: ConnectionRegistry? = nil) {
        self.engine = engine
        self.log = log
        self.requestTimeout = requestTimeout
        self.connections = connections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armDeadline(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armDeadline(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    /// Starts the wait for the next whole request (once per connection or answer).
    private func armDeadline(context: ChannelHandlerContext) {
        deadline?.cancel()
        let timeout = requestTimeout
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            deadline = nil
            switch collector.deadlinePassed() {
            case let .timedOut(version):
                write(XKSRefusals.timedOut(after: timeout), version: version, keepAlive: false, context: context)
            case .close:
                context.close(promise: nil)
            case .nothing:
                break
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch collector.read(unwrapInboundIn(data), allocator: context.channel.allocator) {
        case .none:
            break
        case .started:
            connections?.mark(context.channel, idle: false)
        case let .tooLarge(version):
            write(XKSTooLarge.response, version: version, keepAlive: false, context: context)
        case let .complete(head, body):
            deadline?.cancel()
            deadline = nil
            respond(to: head, body: body, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func respond(to head: HTTPRequestHead, body: ByteBuffer, context: ChannelHandlerContext) {
        let started = ContinuousClock.now
        let request = ProxyRequest(method: head.method.rawValue, uri: head.uri,
                                   headers: head.headers.map { (name: $0.name, value: $0.value) },
                                   body: Array(body.readableBytesView))
        let outcome = engine.handle(request, now: Date())
        let keepAlive = head.isKeepAlive
        let send = { [log] in
            self.collector.answered()
            self.write(outcome.response, version: head.version, keepAlive: keepAlive, context: context)
            if let record = outcome.record { log?.append(record, latency: ContinuousClock.now - started) }
            if keepAlive {
                self.connections?.mark(context.channel, idle: true)
                self.armDeadline(context: context)
            }
        }
        if let delay = outcome.delay, delay > .zero {
            let nanoseconds = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) { send() }
        } else {
            send()
        }
    }

    private func write(_ response: ProxyResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        context.writeHTTPAnswer(status: response.status, headers: response.headers, body: response.body,
                                version: version, keepAlive: keepAlive)
    }
}

/// The answer to a body over `XKSProxyEngine.maxBodyBytes`.
enum XKSTooLarge {
    static var response: ProxyResponse {
        XKSRefusals.response(status: 413, errorName: "ValidationException", message: "The request body is larger than 65536 bytes.")
    }
}

/// The XKS-style JSON answers the proxy's HTTP layer gives on its own, before or instead of the engine.
enum XKSRefusals {
    /// A request that did not arrive whole in time.
    static func timedOut(after timeout: TimeAmount) -> ProxyResponse {
        response(status: 408, errorName: "ValidationException",
                 message: "The request did not arrive whole within \(Self.describe(timeout)). The proxy closes connections that send too slowly; send the whole request at once.")
    }

    /// A connection over the limit, written raw (no HTTP pipeline is set up for it). KMS retries a ThrottlingException.
    static func tooManyConnections(limit: Int) -> [UInt8] {
        let answer = response(status: 429, errorName: "ThrottlingException",
                              message: "The proxy already has \(limit) connections with a request under way, its limit. Retry shortly, or close connections.")
        return rawHTTPAnswer(status: 429, reason: "Too Many Requests", headers: answer.headers, body: answer.body)
    }

    static func response(status: Int, errorName: String, message: String) -> ProxyResponse {
        let body = #"{"errorName":"\#(errorName)","errorMessage":"\#(message)"}"#
        return ProxyResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }

    private static func describe(_ timeout: TimeAmount) -> String {
        let milliseconds = timeout.nanoseconds / 1_000_000
        return milliseconds % 1_000 == 0 ? "\(milliseconds / 1_000) s" : "\(milliseconds) ms"
    }
}
