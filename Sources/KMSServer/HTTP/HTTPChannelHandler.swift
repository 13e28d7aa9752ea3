import Foundation
import HTTPServing
import KeyStoreEngine
import NIOCore
import NIOHTTP1

/// One connection's HTTP/1.1 exchange: collects a request (refusing bodies over the limit with 413 at once),
/// hands it to `KMSRequestHandler` in a task that runs on the connection's event loop, and writes the answer
/// back with keep-alive. A request must arrive whole within `requestTimeout` of the connection opening or of
/// the last answer: a partial one then gets a 408, an idle connection is closed. One timer per connection
/// watches that deadline: each answer moves the deadline, and the timer, when it fires early, waits on for the
/// rest (a scheduled task per request, armed and cancelled, cost its heap and allocations on every request).
/// `HTTPServerPipelineHandler` in front of it holds pipelined requests until the previous answer is written.
final class HTTPChannelHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let handler: KMSRequestHandler
    private let requestTimeout: TimeAmount
    private var collector = RequestCollector(maxBodyBytes: KMSRequestHandler.maxBodyBytes)
    private var executor: EventLoopTaskExecutor?
    /// When the wait for the current request ends; nil while a request is being answered.
    private var deadline: NIODeadline?
    /// Fires at or before `deadline`.
    private var timer: Scheduled<Void>?
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
        timer?.cancel()
        timer = nil
        deadline = nil
        context.fireChannelInactive()
    }

    /// Starts the wait for the next whole request (once per connection or answer).
    private func armDeadline(context: ChannelHandlerContext) {
        let due = NIODeadline.now() + requestTimeout
        deadline = due
        if timer == nil { startTimer(firingAt: due, context: context) }
    }

    private func startTimer(firingAt due: NIODeadline, context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
            timer = nil
            guard let deadline else { return }
            guard deadline <= .now() else {
                startTimer(firingAt: deadline, context: context)
                return
            }
            self.deadline = nil
            switch collector.deadlinePassed() {
            case let .timedOut(version):
                write(HTTPRefusals.timedOut(after: requestTimeout), version: version, keepAlive: false, context: context)
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
            write(KMSRequestHandler.tooLargeResponse(), version: version, keepAlive: false, context: context)
        case let .complete(head, body):
            deadline = nil
            respond(to: head, body: body, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Bytes that are not HTTP: a JSON 400 if no answer is under way, then the connection closes.
        if error is HTTPParserError, collector.refuseIfIdle() {
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
            self.collector.answered()
            self.write(response, version: head.version, keepAlive: keepAlive, context: context)
            if keepAlive {
                self.connections?.mark(context.channel, idle: true)
                self.armDeadline(context: context)
            }
        }
    }

    private func write(_ response: ServerResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        context.writeHTTPAnswer(status: response.status, headers: response.headers, body: response.body,
                                version: version, keepAlive: keepAlive)
    }
}
