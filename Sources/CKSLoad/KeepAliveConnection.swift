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

    /// A whole answer from the front of `pending`, or nil when more bytes are needed. Read as bytes (status,
    /// `Content-Length`, `Connection: close`), so the client spends little of the CPU it shares with the server.
    private func parse() throws(Failure) -> (status: Int, body: [UInt8])? {
        guard let end = headerEnd() else { return nil }
        let prefix = Array("HTTP/1.1 ".utf8)
        guard end >= 12, pending[0..<9].elementsEqual(prefix), let status = Self.number(pending[9..<12]) else {
            throw .malformed(String(decoding: pending[0..<min(end, 80)], as: UTF8.self))
        }
        var length: Int?
        var lineStart = 0
        while lineStart < end {
            var lineEnd = lineStart
            while lineEnd < end, pending[lineEnd] != 13 { lineEnd += 1 }
            let line = pending[lineStart..<lineEnd]
            if let value = Self.value(of: "content-length", in: line) {
                length = Self.number(value)
            } else if let value = Self.value(of: "connection", in: line), Self.lowercased(value).elementsEqual("close".utf8) {
                isReusable = false
            }
            lineStart = lineEnd + 2
        }
        guard let length else { throw .malformed("no Content-Length") }
        let bodyStart = end + 4
        guard pending.count >= bodyStart + length else { return nil }
        let body = Array(pending[bodyStart..<(bodyStart + length)])
        pending.removeFirst(bodyStart + length)
        scanned = 0
        return (status, body)
    }

    /// The value of a `name: value` header line (name in any case), trimmed of spaces and tabs.
    private static func value(of name: String, in line: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        let name = name.utf8
        guard line.count > name.count, line[line.startIndex + name.count] == UInt8(ascii: ":"),
              lowercased(line.prefix(name.count)).elementsEqual(name) else { return nil }
        var value = line.dropFirst(name.count + 1)
        while let first = value.first, first == 32 || first == 9 { value = value.dropFirst() }
        while let last = value.last, last == 32 || last == 9 { value = value.dropLast() }
        return value
    }

    private static func lowercased(_ bytes: ArraySlice<UInt8>) -> LazyMapSequence<ArraySlice<UInt8>, UInt8> {
        bytes.lazy.map { (65...90).contains($0) ? $0 + 32 : $0 }
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count < 19 else { return nil }
        var value = 0
        for digit in digits {
            guard (48...57).contains(digit) else { return nil }
            value = value * 10 + Int(digit - 48)
        }
        return value
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
