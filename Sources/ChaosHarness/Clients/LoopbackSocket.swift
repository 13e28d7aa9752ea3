import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection to a port on 127.0.0.1, with a receive timeout: the raw material of every client
/// of the harness, well-behaved or hostile. Nothing here goes beyond loopback.
public final class LoopbackSocket {
    /// Why a connection or an exchange did not work.
    public enum Failure: Error, CustomStringConvertible {
        case connect(errno: Int32)
        case send(errno: Int32)
        case timedOut
        case closed

        public var description: String {
            switch self {
            case let .connect(code): "cannot connect: \(String(cString: strerror(code)))"
            case let .send(code): "cannot send: \(String(cString: strerror(code)))"
            case .timedOut: "no answer in time"
            case .closed: "the server closed the connection"
            }
        }
    }

    public let descriptor: Int32

    /// Connects to 127.0.0.1:`port`; reads give up after `timeout` seconds without data.
    public init(port: Int, timeout: Double = 10) throws(Failure) {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .connect(errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        // On Linux the send timeout also bounds connect (a full accept queue makes it retry for minutes).
        var sendTimeout = timeval(tv_sec: Int(max(1, timeout)), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        // A class whose stored properties are all set runs deinit even when init throws: it closes the socket.
        guard connected == 0 else { throw .connect(errno: errno) }
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        setTimeout(timeout)
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// How long a read waits for data.
    public func setTimeout(_ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends every byte (the server may close early: that is `.send`).
    public func send(_ bytes: [UInt8]) throws(Failure) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw .send(errno: errno) }
            sent += count
        }
    }

    /// Some bytes, or an empty array at end of file.
    public func receive(upTo limit: Int = 65_536) throws(Failure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, limit, 0) }
            if count >= 0 { return Array(buffer[0..<count]) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw .timedOut }
            if errno == ECONNRESET { return [] }
            throw .closed
        }
    }

    /// Reads one HTTP/1.1 answer (headers, then `Content-Length` bytes, or up to end of file without one), in
    /// at most 120 s however slowly it comes.
    public func receiveAnswer() throws(Failure) -> HTTPAnswer {
        var data: [UInt8] = []
        let deadline = Date().addingTimeInterval(120)
        while true {
            guard Date() < deadline else { throw .timedOut }
            if let answer = HTTPAnswer.parse(data) { return answer }
            let chunk = try receive()
            if chunk.isEmpty {
                if let answer = HTTPAnswer.parse(data, atEnd: true) { return answer }
                throw .closed
            }
            data += chunk
            if data.count > 8 << 20 { throw .closed }
        }
    }
}

/// An HTTP answer as the harness reads it: the status, the headers (names lowercased) and the body.
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    /// The `__type` of a KMS JSON error, with any `namespace#` prefix removed.
    public var errorType: String? {
        guard let object = json, let type = object["__type"] as? String else { return nil }
        return type.split(separator: "#").last.map(String.init)
    }

    /// The body as a JSON object, when it is one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// An answer from the front of `data`, or nil when more bytes are needed.
    static func parse(_ data: [UInt8], atEnd: Bool = false) -> HTTPAnswer? {
        guard data.count >= 4, let end = (0...(data.count - 4)).first(where: {
            data[$0] == 13 && data[$0 + 1] == 10 && data[$0 + 2] == 13 && data[$0 + 3] == 10
        }) else { return nil }
        let head = String(decoding: data[0..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let bodyStart = end + 4
        if let length = headers["content-length"].flatMap(Int.init) {
            guard data.count >= bodyStart + length else { return nil }
            return HTTPAnswer(status: status, headers: headers, body: Array(data[bodyStart..<(bodyStart + length)]))
        }
        return atEnd ? HTTPAnswer(status: status, headers: headers, body: Array(data[bodyStart...])) : nil
    }
}
