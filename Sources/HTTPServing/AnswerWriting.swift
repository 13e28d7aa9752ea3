import NIOCore
import NIOHTTP1

extension ChannelHandlerContext {
    /// Writes one answer on an HTTP server pipeline, with its Content-Length; without `keepAlive` it says
    /// `Connection: close` and closes the connection once written.
    @inlinable
    public func writeHTTPAnswer(status: Int, headers: [(name: String, value: String)], body: [UInt8],
                                version: HTTPVersion, keepAlive: Bool) {
        var fields = HTTPHeaders(headers)
        fields.add(name: "Content-Length", value: String(body.count))
        if !keepAlive { fields.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: fields)
        write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        var buffer = channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
        let written = writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in self.close(promise: nil) }
        }
    }
}
