#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking HTTP/1.1 keep-alive connection to a loopback endpoint: sends a prepared request and reads
/// the answer (headers, then `Content-Length` bytes). Thin on purpose, so that what is measured is the server.
final class KeepAliveConnection {
    enum Failure: Error, CustomStringConvertible {
        case connect(String)
        case closed
        case malformed(String)

        var description: String {
            switch self {
            case let .connect(reason): "cannot connect: \(reason)"
            case .closed: "the server closed the connection"
            case let .malformed(reason): "malformed answer: \(reason)"
            }
        }
    }

    private let socket: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var pending: [UInt8] = []
    /// Where the search for the end of the headers goes on from (the bytes before it were searched).
    private var scanned = 0

    init(host: String, port: UInt16) throws(Failure) {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw .connect(String(cString: strerror(errno))) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(socket)
            throw .connect("\(host) is not an IPv4 address")
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            close(socket)
            throw .connect(reason)
        }
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socket) }

    /// False once the server said `Connection: close` (werkzeug, under moto, says it on every answer).
    private(set) var isReusable = true

    /// Sends `request` (complete HTTP/1.1 bytes) and returns the status and body of the answer.
    func exchange(_ request: [UInt8]) throws(Failure) -> (status: Int, body: [UInt8]) {
        var sent = 0
        while sent < request.count {
            let written = request.withUnsafeBytes { send(socket, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw .closed }
            sent += written
        }
        while true {
            if let answer = try parse() { return answer }
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { throw .closed }
            pending.append(contentsOf: buffer[0..<count])
        }
    }

    /// A whole answer from the front of `pending`, or nil when more bytes are needed.
    private func parse() throws(Failure) -> (status: Int, body: [UInt8])? {
        guard let end = headerEnd() else { return nil }
        let head = String(decoding: pending[0..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.1 "),
              let status = Int(statusLine.dropFirst(9).prefix(3)) else {
            throw .malformed(String(head.prefix(80)))
        }
        let lengthLine = lines.first { $0.lowercased().hasPrefix("content-length:") }
        guard let lengthLine, let length = Int(lengthLine.dropFirst(15).filter { $0 != " " && $0 != "\t" }) else {
            throw .malformed("no Content-Length")
        }
        if lines.contains(where: { $0.lowercased().hasPrefix("connection:") && $0.lowercased().hasSuffix("close") }) {
            isReusable = false
        }
        let bodyStart = end + 4
        guard pending.count >= bodyStart + length else { return nil }
        let body = Array(pending[bodyStart..<(bodyStart + length)])
        pending.removeFirst(bodyStart + length)
        scanned = 0
        return (status, body)
    }

    private func headerEnd() -> Int? {
        guard pending.count >= 4 else { return nil }
        for index in scanned...(pending.count - 4)
        where pending[index] == 13 && pending[index + 1] == 10 && pending[index + 2] == 13 && pending[index + 3] == 10 {
            return index
        }
        scanned = pending.count - 3
        return nil
    }
}
