import NIOCore
import NIOHTTP1

/// The request side of one connection's HTTP/1.1 exchange, shared by `cks serve` and the XKS proxy: collects a
/// request's parts into one body of at most `maxBodyBytes` (a larger one is refused at once, from its
/// Content-Length when it has one), and says what to do when the request deadline passes. The channel handler
/// that owns it writes its server's own answers.
public struct RequestCollector {
    @usableFromInline
    enum State {
        case idle
        case receiving(HTTPRequestHead, ByteBuffer)
        /// Refused (too large, timed out, not HTTP): the rest of the request is dropped, the connection closes.
        case refused
        case responding
    }

    /// What a part of a request leads to.
    public enum Event {
        /// Nothing to do yet (a body part collected, or a part after a refusal).
        case none
        /// A request began: its connection is busy.
        case started
        /// The body is over the limit: answer that with `Connection: close`.
        case tooLarge(HTTPVersion)
        /// The whole request: answer it, then call `answered()`.
        case complete(HTTPRequestHead, ByteBuffer)
    }

    /// What the request deadline passing leads to.
    public enum Expiry {
        case nothing
        /// A request was partly sent: answer that it timed out, with `Connection: close`.
        case timedOut(HTTPVersion)
        /// No request was under way: close the idle connection.
        case close
    }

    @usableFromInline var state = State.idle
    public let maxBodyBytes: Int

    public init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    @inlinable
    public mutating func read(_ part: HTTPServerRequestPart, allocator: ByteBufferAllocator) -> Event {
        switch part {
        case let .head(head):
            guard case .idle = state else { return .none }
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > maxBodyBytes {
                state = .refused
                return .tooLarge(head.version)
            }
            state = .receiving(head, allocator.buffer(capacity: 0))
            return .started
        case var .body(chunk):
            guard case .receiving(let head, var buffer) = state else { return .none }
            guard buffer.readableBytes + chunk.readableBytes <= maxBodyBytes else {
                state = .refused
                return .tooLarge(head.version)
            }
            // Leaves the buffer uniquely referenced while it grows.
            state = .idle
            buffer.writeBuffer(&chunk)
            state = .receiving(head, buffer)
            return .none
        case .end:
            guard case let .receiving(head, buffer) = state else { return .none }
            state = .responding
            return .complete(head, buffer)
        }
    }

    @inlinable
    public mutating func deadlinePassed() -> Expiry {
        switch state {
        case let .receiving(head, _):
            state = .refused
            return .timedOut(head.version)
        case .idle:
            state = .refused
            return .close
        case .refused, .responding:
            return .nothing
        }
    }

    /// The answer to the complete request was written; the connection waits for the next one.
    @inlinable
    public mutating func answered() {
        state = .idle
    }

    /// Refuses the rest of the connection (bytes that are not HTTP) if no request is under way; false otherwise.
    @inlinable
    public mutating func refuseIfIdle() -> Bool {
        guard case .idle = state else { return false }
        state = .refused
        return true
    }
}
