import Foundation
import NIOCore
import NIOHTTP1

/// One connection's HTTP/1.1 exchange: collects a request (bodies over the limit get 413 and the
/// connection closes), answers it with the engine on the event loop, waits out the latency fault, writes
/// the answer with keep-alive and logs the request.
final class ProxyChannelHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case receiving(HTTPRequestHead, ByteBuffer)
        case refused
        case responding
    }

    private let engine: XKSProxyEngine
    private let log: RequestLog?
    private var state = State.idle

    init(engine: XKSProxyEngine, log: RequestLog?) {
        self.engine = engine
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            guard case .idle = state else { return }
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > XKSProxyEngine.maxBodyBytes {
                refuse(context: context, version: head.version)
                return
            }
            state = .receiving(head, context.channel.allocator.buffer(capacity: 0))
        case var .body(chunk):
            guard case .receiving(let head, var buffer) = state else { return }
            guard buffer.readableBytes + chunk.readableBytes <= XKSProxyEngine.maxBodyBytes else {
                refuse(context: context, version: head.version)
                return
            }
            state = .idle
            buffer.writeBuffer(&chunk)
            state = .receiving(head, buffer)
        case .end:
            guard case let .receiving(head, buffer) = state else { return }
            state = .responding
            respond(to: head, body: buffer, context: context)
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
            self.state = .idle
            self.write(outcome.response, version: head.version, keepAlive: keepAlive, context: context)
            if let record = outcome.record { log?.append(record, latency: ContinuousClock.now - started) }
        }
        if let delay = outcome.delay, delay > .zero {
            let nanoseconds = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) { send() }
        } else {
            send()
        }
    }

    private func refuse(context: ChannelHandlerContext, version: HTTPVersion) {
        state = .refused
        let error = XKSTooLarge.response
        write(error, version: version, keepAlive: false, context: context)
    }

    private func write(_ response: ProxyResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(response.headers)
        headers.add(name: "Content-Length", value: String(response.body.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}

/// The answer to a body over `XKSProxyEngine.maxBodyBytes`.
enum XKSTooLarge {
    static var response: ProxyResponse {
        let body = #"{"errorName":"ValidationException","errorMessage":"The request body is larger than 65536 bytes."}"#
        return ProxyResponse(status: 413, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }
}
