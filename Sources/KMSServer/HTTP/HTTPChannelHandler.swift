import Foundation
import KeyStoreEngine
import NIOCore
import NIOHTTP1

/// One connection's HTTP/1.1 exchange: collects a request (refusing bodies over the limit with 413 at once),
/// hands it to `KMSRequestHandler` in a task that runs on the connection's event loop, and writes the answer
/// back with keep-alive. A request must arrive whole within `requestTimeout` of the connection opening or of
/// the last answer: a partial one then gets a 408, an idle connection is closed.
/// `HTTPServerPipelineHandler` in front of it holds pipelined requests until the previous answer is written.
final class HTTPChannelHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case receiving(HTTPRequestHead, ByteBuffer)
        /// The body was too large: the 413 is written, the rest of the request is dropped, the connection closes.
        case refused
        case responding
    }

    private let handler: KMSRequestHandler
    private let requestTimeout: TimeAmount
    private var state = State.idle
    private var executor: EventLoopTaskExecutor?
    private var deadline: Scheduled<Void>?
    private let connections: ConnectionRegistry?

    init(handler: KMSRequestHandler, requestTimeout: TimeAmount, connections: ConnectionRegistry? = nil) {
        self.handler = handler
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
            switch state {
            case let .receiving(head, _):
                state = .refused
                write(HTTPRefusals.timedOut(after: timeout), version: head.version, keepAlive: false, context: context)
            case .idle:
                state = .refused
                context.close(promise: nil)
            case .refused, .responding:
                break
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            guard case .idle = state else { return }
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > KMSRequestHandler.maxBodyBytes {
                refuse(context: context, version: head.version)
                return
            }
            state = .receiving(head, context.channel.allocator.buffer(capacity: 0))
            connections?.mark(context.channel, idle: false)
        case var .body(chunk):
            guard case .receiving(let head, var buffer) = state else { return }
            guard buffer.readableBytes + chunk.readableBytes <= KMSRequestHandler.maxBodyBytes else {
                refuse(context: context, version: head.version)
                return
            }
            state = .idle
            buffer.writeBuffer(&chunk)
            state = .receiving(head, buffer)
        case .end:
            guard case let .receiving(head, buffer) = state else { return }
            state = .responding
            deadline?.cancel()
            deadline = nil
            respond(to: head, body: buffer, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Bytes that are not HTTP: a JSON 400 if no answer is under way, then the connection closes.
        if error is HTTPParserError, case .idle = state {
            state = .refused
            write(HTTPRefusals.notHTTP(), version: .http1_1, keepAlive: false, context: context)
            return
        }
        context.close(promise: nil)
    }

    private func respond(to head: HTTPRequestHead, body: ByteBuffer, context: ChannelHandlerContext) {
        let request = ServerRequest(method: head.method.rawValue, uri: head.uri,
                                    headers: head.headers.map { (name: $0.name, value: $0.value) },
                                    body: Array(body.readableBytesView))
        let handler = self.handler
        let promise = context.eventLoop.makePromise(of: ServerResponse.self)
        let executor = self.executor ?? EventLoopTaskExecutor(eventLoop: context.eventLoop)
        self.executor = executor
        Task(executorPreference: executor) {
            promise.succeed(await handler.handle(request, now: Date()))
        }
        let keepAlive = head.isKeepAlive
        promise.futureResult.assumeIsolated().whenSuccess { response in
            self.state = .idle
            self.write(response, version: head.version, keepAlive: keepAlive, context: context)
            if keepAlive {
                self.connections?.mark(context.channel, idle: true)
                self.armDeadline(context: context)
            }
        }
    }

    private func refuse(context: ChannelHandlerContext, version: HTTPVersion) {
        state = .refused
        write(KMSRequestHandler.tooLargeResponse(), version: version, keepAlive: false, context: context)
    }

    private func write(_ response: ServerResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
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
