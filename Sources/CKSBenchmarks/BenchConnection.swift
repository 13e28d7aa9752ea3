import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SigV4

/// One HTTP/1.1 keep-alive connection (over TLS when given a context) sending a request and reading its answer,
/// one at a time.
final class BenchConnection: Sendable {
    private let channel: any Channel
    private let collector: AnswerCollector

    private init(channel: any Channel, collector: AnswerCollector) {
        self.channel = channel
        self.collector = collector
    }

    static func open(group: any EventLoopGroup, port: Int, context: NIOSSLContext? = nil) async throws -> BenchConnection {
        let collector = AnswerCollector()
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let context { try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: "localhost")) }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(collector)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return BenchConnection(channel: channel, collector: collector)
    }

    func send(_ request: SigV4Request) async throws -> (status: Int, body: [UInt8]) {
        let promise = channel.eventLoop.makePromise(of: (status: Int, body: [UInt8]).self)
        var headers = HTTPHeaders(request.headers.map { ($0.name, $0.value) })
        headers.add(name: "Content-Length", value: String(request.body.count))
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: request.path, headers: headers)
        let body = request.body
        channel.eventLoop.execute {
            self.collector.waiting = promise
            self.channel.write(HTTPClientRequestPart.head(head), promise: nil)
            self.channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
            self.channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        return try await promise.futureResult.get()
    }

    func close() async throws {
        try await channel.close()
    }
}

/// Collects one answer at a time for `BenchConnection`; touched only on its channel's event loop.
final class AnswerCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    var waiting: EventLoopPromise<(status: Int, body: [UInt8])>?
    private var status = 0
    private var body: [UInt8] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            status = Int(head.status.code)
            body = []
        case var .body(buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            let promise = waiting
            waiting = nil
            promise?.succeed((status, body))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        waiting?.fail(error)
        waiting = nil
        context.close(promise: nil)
    }
}
