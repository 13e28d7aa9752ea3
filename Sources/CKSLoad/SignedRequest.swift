import Foundation
import SigV4

/// A KMS JSON 1.1 request signed once with SigV4 and kept as wire bytes: the signature holds for five
/// minutes, longer than any timed loop, so the client spends nothing per request on signing.
struct SignedRequest {
    let bytes: [UInt8]
    /// The signed headers and the body, for a wrk script.
    let headers: [(name: String, value: String)]
    let body: String

    init(host: String, port: UInt16, target: String, body: String, credentials: AWSCredentials, region: String) {
        let signingName = target.hasPrefix("BaldrApiService.") ? "cloudhsm" : "kms"
        let unsigned = SigV4Request(method: "POST", path: "/", headers: [
            (name: "Host", value: "\(host):\(port)"),
            (name: "Content-Type", value: "application/x-amz-json-1.1"),
            (name: "X-Amz-Target", value: target),
        ], body: Array(body.utf8))
        let signed = SigV4Signer(credentials: credentials, region: region, service: signingName).sign(unsigned, date: Date())
        var text = "POST / HTTP/1.1\r\n"
        for header in signed.headers { text += "\(header.name): \(header.value)\r\n" }
        text += "Content-Length: \(signed.body.count)\r\n\r\n"
        bytes = Array(text.utf8) + signed.body
        headers = signed.headers
        self.body = body
    }

    /// A wrk script that sends this request on every connection and prints one JSON line like cks-load's
    /// (`WRK_NAME` and `WRK_CLIENTS` from the environment name the server and the connection count).
    func wrkScript(operation: String) -> String {
        func quoted(_ text: String) -> String { "[==[" + text + "]==]" }
        var lines = ["wrk.method = \"POST\"", "wrk.path = \"/\"", "wrk.body = " + quoted(body)]
        for header in headers { lines.append("wrk.headers[ \(quoted(header.name)) ] = \(quoted(header.value))") }
        lines.append("""
            done = function(summary, latency, requests)
              local e = summary.errors
              local errors = e.connect + e.read + e.write + e.timeout + e.status
              local seconds = summary.duration / 1e6
              io.write(string.format('{"server": "%s", "client": "wrk", "op": "\(operation)", "clients": %d, "requests": %d, "errors": %d, "wall_s": %.3f, "rps": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, "mean_ms": %.3f}\\n',
                os.getenv("WRK_NAME") or "server", tonumber(os.getenv("WRK_CLIENTS") or "0"), summary.requests - e.status, errors,
                seconds, (summary.requests - e.status) / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000))
            end
            """)
        return lines.joined(separator: "\n") + "\n"
    }
}
