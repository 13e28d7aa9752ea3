import NIOCore

/// The whole pipeline of a connection over the limit (after TLS, when the server speaks it): writes the
/// server's own answer and closes.
public final class ConnectionRefusalHandler: ChannelInboundHandler {
    public typealias InboundIn = ByteBuffer

    private let answer: [UInt8]
    private var answered = false

    /// `answer` is a whole HTTP/1.1 response, `Connection: close` included (see `rawHTTPAnswer`).
    public init(answer: [UInt8]) {
        self.answer = answer
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        refuse(context: context)
        context.fireChannelActive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func refuse(context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        var buffer = context.channel.allocator.buffer(capacity: answer.count)
        buffer.writeBytes(answer)
        context.writeAndFlush(NIOAny(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}

/// An HTTP/1.1 answer as bytes, for a connection without an HTTP pipeline; it closes the connection.
public func rawHTTPAnswer(status: Int, reason: String, headers: [(name: String, value: String)], body: [UInt8]) -> [UInt8] {
    var head = "HTTP/1.1 \(status) \(reason)\r\n"
    for header in headers { head += "\(header.name): \(header.value)\r\n" }
    head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
    return Array(head.utf8) + body
}
