import Foundation
import SigV4

/// A well-behaved KMS JSON 1.1 client of `cks serve` on loopback: each call is signed (SigV4) and sent on a
/// fresh connection with `Connection: close`, so a server killed between calls costs one refused connection.
public struct KMSClient: Sendable {
    public let port: Int
    public let credentials: AWSCredentials
    public let region: String
    public var timeout: Double = 15

    public init(port: Int, credentials: AWSCredentials, region: String) {
        self.port = port
        self.credentials = credentials
        self.region = region
    }

    /// The wire bytes of a signed call (`date` lets a test sign in the past).
    public func request(_ operation: String, _ body: [String: Any], date: Date = Date(), keepAlive: Bool = false) -> [UInt8] {
        let json = (try? JSONSerialization.data(withJSONObject: body)) ?? Data("{}".utf8)
        return request(operation, rawBody: Array(json), date: date, keepAlive: keepAlive)
    }

    public func request(_ operation: String, rawBody: [UInt8], date: Date = Date(), keepAlive: Bool = false) -> [UInt8] {
        let unsigned = SigV4Request(method: "POST", path: "/", headers: [
            (name: "Host", value: "127.0.0.1:\(port)"),
            (name: "Content-Type", value: "application/x-amz-json-1.1"),
            (name: "X-Amz-Target", value: "TrentService.\(operation)"),
        ], body: rawBody)
        let signed = SigV4Signer(credentials: credentials, region: region, service: "kms").sign(unsigned, date: date)
        var text = "POST / HTTP/1.1\r\n"
        for header in signed.headers { text += "\(header.name): \(header.value)\r\n" }
        if !keepAlive { text += "Connection: close\r\n" }
        text += "Content-Length: \(signed.body.count)\r\n\r\n"
        return Array(text.utf8) + signed.body
    }

    /// Sends one call and reads its answer.
    public func call(_ operation: String, _ body: [String: Any]) throws(LoopbackSocket.Failure) -> HTTPAnswer {
        try send(request(operation, body))
    }

    /// Sends prepared bytes on a new connection and reads one answer.
    public func send(_ bytes: [UInt8]) throws(LoopbackSocket.Failure) -> HTTPAnswer {
        let socket = try LoopbackSocket(port: port, timeout: timeout)
        try socket.send(bytes)
        return try socket.receiveAnswer()
    }
}
