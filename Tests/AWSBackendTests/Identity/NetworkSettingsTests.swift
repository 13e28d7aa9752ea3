import AWSBackend
import CKSTestSupport
import Foundation
import Testing

/// Proxies and CA bundles as the aws CLI takes them, through a loopback proxy and a loopback TLS server whose
/// certificate a CA made for the test signed.
@Suite("Proxies and the CA bundle", .serialized)
struct NetworkSettingsTests {
    func settings(_ variables: [String: String], config: String? = nil) throws -> AWSSettings {
        let home = try TempHome(config: config)
        var all = ["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "us-east-1"]
        for (name, value) in variables { all[name] = value }
        return try AWSSettings.resolve(AWSOverrides(), environment: home.environment(all))
    }

    @Test func environmentVariablesAsURLLibReadsThem() throws {
        let network = try settings(["HTTPS_PROXY": "http://user:p%40ss@proxy.corp:3128", "http_proxy": "proxy.corp:8080",
                                    "HTTP_PROXY": "http://ignored:1", "NO_PROXY": "169.254.169.254, .internal.corp,localhost:8000"]).network
        #expect(network.httpsProxy?.absoluteString == "http://user:p%40ss@proxy.corp:3128")
        #expect(network.httpProxy?.absoluteString == "http://proxy.corp:8080", "lower case first, a bare host:port taken as http")
        #expect(network.proxy(for: URL(string: "https://kms.us-east-1.amazonaws.com")!)?.host == "proxy.corp")
        #expect(network.proxy(for: URL(string: "http://169.254.169.254/latest")!) == nil)
        #expect(network.proxy(for: URL(string: "https://kms.eu.internal.corp")!) == nil, "a domain covers its subdomains")
        #expect(network.proxy(for: URL(string: "http://localhost:9000/")!) == nil, "the port of an entry does not matter")
        #expect(network.proxy(for: URL(string: "http://notinternal.corp/")!)?.port == 8080)
        #expect(try settings(["NO_PROXY": "*", "HTTPS_PROXY": "http://p:1"]).network.proxy(for: URL(string: "https://a.b")!) == nil)
        #expect(throws: AWSConfigurationError.self) { try settings(["HTTPS_PROXY": "ftp://proxy:21"]) }
    }

    @Test func caBundleFromTheEnvironmentOrTheProfile() throws {
        let home = try TempHome()
        let pem = try home.write("corp-ca.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
        #expect(try settings(["AWS_CA_BUNDLE": pem]).network.caBundle == pem)
        #expect(try settings([:], config: "[default]\nca_bundle = \(pem)\n").network.caBundle == pem)
        let missing = #expect(throws: AWSConfigurationError.self) { try settings(["AWS_CA_BUNDLE": "/nonexistent/ca.pem"]) }
        #expect(missing?.message.contains("AWS_CA_BUNDLE names /nonexistent/ca.pem") == true)
    }

    @Test func requestsGoThroughTheProxyUnlessNoProxy() async throws {
        let server = try await IdentityServer.start()
        let proxy = try await LoopbackProxy.start()
        let target = URL(string: server.url + "/_counts")!
        let proxied = AsyncHTTPTransport(network: NetworkSettings(httpProxy: URL(string: proxy.url)!))
        let answer = try await proxied.send(HTTPRequestData(url: target, method: "GET", headers: [], body: []))
        #expect(answer.status == 200)
        #expect(try await proxy.forwarded() == ["CONNECT 127.0.0.1:\(server.port)"], "tunnelled through the proxy")

        let bypassing = AsyncHTTPTransport(network: NetworkSettings(httpProxy: URL(string: proxy.url)!, noProxy: ["127.0.0.1"]))
        _ = try await bypassing.send(HTTPRequestData(url: target, method: "GET", headers: [], body: []))
        #expect(try await proxy.forwarded().count == 1, "NO_PROXY went directly")
    }

    @Test(.enabled(if: Host.which("openssl") != nil, "openssl is not installed"))
    func aCABundleIsTrustedInsteadOfTheSystemRoots() async throws {
        let tls = try await LoopbackTLSServer.start()
        let url = URL(string: "https://127.0.0.1:\(tls.port)/")!
        let trusting = AsyncHTTPTransport(network: NetworkSettings(caBundle: tls.caPath))
        #expect(try await trusting.send(HTTPRequestData(url: url, method: "GET", headers: [], body: [])).status == 200)
        let system = AsyncHTTPTransport()
        let refused = await #expect(throws: TransportError.self) {
            try await system.send(HTTPRequestData(url: url, method: "GET", headers: [], body: []))
        }
        #expect(refused?.message.contains("AWS_CA_BUNDLE") == true, "\(refused?.message ?? "")")
    }
}

/// A forward proxy on loopback, written for the tests: CONNECT tunnels (what AsyncHTTPClient asks of a proxy)
/// and absolute-form requests, remembered (`GET /_forwarded` on the proxy itself lists them).
final class LoopbackProxy: Sendable {
    let process: ChildProcess
    let url: String

    private init(process: ChildProcess, url: String) {
        self.process = process
        self.url = url
    }

    static func start() async throws -> LoopbackProxy {
        let port = try Host.freePort()
        let process = try ChildProcess(Host.which("python3")!, ["-c", script, String(port)],
                                       environment: ProcessInfo.processInfo.environment, watched: true, stopsWhenDropped: true)
        try await waitForListening(port, process)
        return LoopbackProxy(process: process, url: "http://127.0.0.1:\(port)")
    }

    func forwarded() async throws -> [String] {
        let answer = try await AsyncHTTPTransport().send(HTTPRequestData(url: URL(string: url + "/_forwarded")!, method: "GET", headers: [], body: []))
        return (try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String]) ?? []
    }

    static let script = #"""
import http.client, json, select, socket, sys, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
SEEN = []
class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def relay(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if self.path == "/_forwarded":
            data = json.dumps(SEEN).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data); return
        SEEN.append("%s %s" % (self.command, self.path))
        target = urllib.parse.urlparse(self.path)
        connection = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=10)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection")}
        connection.request(self.command, target.path + ("?" + target.query if target.query else ""), body, headers)
        answer = connection.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for k, v in answer.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"): self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    do_GET = do_POST = do_PUT = relay
    def do_CONNECT(self):
        SEEN.append("CONNECT " + self.path)
        host, port = self.path.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)), timeout=10)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        pair = {self.connection: upstream, upstream: self.connection}
        try:
            while True:
                readable, _, _ = select.select(list(pair), [], [], 30)
                if not readable: break
                for end in readable:
                    data = end.recv(65536)
                    if not data: return
                    pair[end].sendall(data)
        finally:
            upstream.close()
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Proxy).serve_forever()
"""#
}

/// An https server on loopback with a certificate for 127.0.0.1 signed by a CA made for the test (openssl).
final class LoopbackTLSServer: Sendable {
    let process: ChildProcess
    let port: Int
    let caPath: String
    let folder: TempHome

    private init(process: ChildProcess, port: Int, caPath: String, folder: TempHome) {
        self.process = process
        self.port = port
        self.caPath = caPath
        self.folder = folder
    }

    static func start() async throws -> LoopbackTLSServer {
        let folder = try TempHome()
        let dir = folder.path
        let openssl = Host.which("openssl")!
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/ca.key", "-out", "\(dir)/ca.pem", "-days", "2",
             "-subj", "/CN=cks test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/server.key", "-out", "\(dir)/server.csr", "-subj", "/CN=127.0.0.1"],
        ]
        for step in steps { _ = try await Spawn.run(openssl, step) }
        try folder.write("ext.cnf", "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
        _ = try await Spawn.run(openssl, ["x509", "-req", "-in", "\(dir)/server.csr", "-CA", "\(dir)/ca.pem", "-CAkey", "\(dir)/ca.key",
                                    "-CAcreateserial", "-out", "\(dir)/server.pem", "-days", "2", "-extfile", "\(dir)/ext.cnf"])
        let port = try Host.freePort()
        let script = """
            import http.server, ssl, sys
            class H(http.server.BaseHTTPRequestHandler):
                def log_message(self, *a): pass
                def do_GET(self):
                    self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
            server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[2], sys.argv[3])
            server.socket = context.wrap_socket(server.socket, server_side=True)
            server.serve_forever()
            """
        let process = try ChildProcess(Host.which("python3")!, ["-c", script, String(port), "\(dir)/server.pem", "\(dir)/server.key"],
                                       environment: ProcessInfo.processInfo.environment, watched: true, stopsWhenDropped: true)
        try await waitForListening(port, process)
        return LoopbackTLSServer(process: process, port: port, caPath: "\(dir)/ca.pem", folder: folder)
    }
}

func waitForListening(_ port: Int, _ process: ChildProcess) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: .seconds(30))
    while !Host.isListening(port) {
        guard process.isRunning, clock.now < deadline else { throw TimedOut(what: "a server on \(port): \(process.stderr.suffix(800))") }
        try await Task.sleep(for: .milliseconds(50))
    }
}
