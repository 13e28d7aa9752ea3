import AWSBackend
import CKSTestSupport
import Foundation

/// A loopback server speaking the wire formats of the identity services, written for these tests: STS (Query
/// protocol: AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity), the instance metadata service (IMDSv2
/// token, role, credentials), the container credentials endpoint, the IAM Identity Center portal
/// (GetRoleCredentials) and OIDC (CreateToken with a refresh token). Its answers are deterministic: an
/// assumed role's access key is a hash of the role and the access key that signed the call, so two clients
/// that walk the same chain end with the same key. `GET /_counts` tells how often each call was made;
/// `POST /_fail/<call>` makes a call fail from then on, `POST /_heal` undoes it; `POST /_advance/<seconds>` moves its clock.
final class IdentityServer: Sendable {
    let process: ChildProcess
    let url: String
    let port: Int

    private init(process: ChildProcess, port: Int) {
        self.process = process
        self.port = port
        self.url = "http://127.0.0.1:\(port)"
    }

    /// Starts the server; `lifetime` is how long the credentials it hands out last (seconds).
    static func start(lifetime: Int = 3600) async throws -> IdentityServer {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cks-identity-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Python has read the script once the server listens: the folder goes then (a suite's shared server is never freed).
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let script = folder + "/identity_server.py"
        try Data(source.utf8).write(to: URL(fileURLWithPath: script))
        let port = try Host.freePort()
        guard let python = Host.which("python3") else { throw TimedOut(what: "python3 on PATH") }
        let process = try ChildProcess(python, [script, String(port), String(lifetime)],
                                       environment: ProcessInfo.processInfo.environment, watched: true, stopsWhenDropped: true)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(30))
        while !Host.isListening(port) {
            guard process.isRunning, clock.now < deadline else {
                throw TimedOut(what: "the identity server to listen on \(port): \(process.stderr.suffix(800))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return IdentityServer(process: process, port: port)
    }

    /// How many times each call was answered (`AssumeRole`, `imds-token`, `container`, `GetRoleCredentials`, `CreateToken`, …).
    func counts() async throws -> [String: Int] {
        let response = try await AsyncHTTPTransport().send(HTTPRequestData(url: URL(string: url + "/_counts")!, method: "GET", headers: [], body: []))
        return (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Int]) ?? [:]
    }

    func fail(_ call: String) async throws { try await post("/_fail/" + call) }
    /// Moves the server's clock (the expirations it gives) along with a test's injected clock.
    func advance(by seconds: Int) async throws { try await post("/_advance/\(seconds)") }
    func heal() async throws { try await post("/_heal") }

    private func post(_ path: String) async throws {
        _ = try await AsyncHTTPTransport().send(HTTPRequestData(url: URL(string: url + path)!, method: "POST", headers: [], body: []))
    }

    /// The access key the server gives for `role` assumed with `sourceKey` (the same hash as the script's).
    static let source = #"""
import hashlib, json, sys, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, LIFETIME = int(sys.argv[1]), int(sys.argv[2])
COUNTS, FAILING, ROLES, OFFSET = {}, set(), {}, [0.0]
ACCOUNT = "111122223333"

def h(*parts):
    return hashlib.sha1("|".join(p or "" for p in parts).encode()).hexdigest()[:16].upper()

def now():
    return time.time() + OFFSET[0]

def iso(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass

    def count(self, name):
        COUNTS[name] = COUNTS.get(name, 0) + 1
        return name in FAILING

    def send(self, status, body, kind="application/json", headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers: self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode() if length else ""

    def do_PUT(self):
        self.body()
        if self.path == "/latest/api/token":
            if self.count("imds-token"): return self.send(500, "")
            if not self.headers.get("x-aws-ec2-metadata-token-ttl-seconds"): return self.send(400, "")
            return self.send(200, "imds-session-token", "text/plain")
        self.send(404, "")

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/_counts": return self.send(200, json.dumps(COUNTS))
        if url.path.startswith("/latest/meta-data/iam/security-credentials/"):
            if self.headers.get("x-aws-ec2-metadata-token") != "imds-session-token": return self.send(401, "")
            role = url.path[len("/latest/meta-data/iam/security-credentials/"):]
            if not role:
                self.count("imds-role")
                return self.send(200, "cks-instance-role", "text/plain")
            if self.count("imds-credentials"): return self.send(500, "")
            return self.send(200, json.dumps({"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "ASIAIMDS" + h(role)[:12],
                "SecretAccessKey": "imds-secret", "Token": "imds-session", "Expiration": iso(now() + LIFETIME),
                "LastUpdated": iso(now())}))
        if url.path.startswith("/container/"):
            if self.count("container"): return self.send(500, "{}")
            auth = self.headers.get("Authorization")
            return self.send(200, json.dumps({"AccessKeyId": "ASIACONT" + h(url.path, auth)[:12], "SecretAccessKey": "container-secret",
                "Token": "container-session", "Expiration": iso(now() + LIFETIME), "RoleArn": "arn:aws:iam::%s:role/task" % ACCOUNT}))
        if url.path == "/federation/credentials":
            if self.count("GetRoleCredentials"): return self.send(500, "{}")
            token = self.headers.get("x-amz-sso_bearer_token")
            if not token or token.startswith("expired"):
                return self.send(401, json.dumps({"message": "Session token not found or invalid"}), headers=[("x-amzn-ErrorType", "UnauthorizedException")])
            account, role = query["account_id"][0], query["role_name"][0]
            key = "ASIASSO" + h(token, account, role)[:13]
            ROLES[key] = "arn:aws:sts::%s:assumed-role/AWSReservedSSO_%s/user" % (account, role)
            return self.send(200, json.dumps({"roleCredentials": {"accessKeyId": key, "secretAccessKey": "sso-secret",
                "sessionToken": "sso-session", "expiration": int((now() + LIFETIME) * 1000)}}))
        self.send(404, "{}")

    def do_POST(self):
        body = self.body()
        if self.path.startswith("/_fail/"):
            FAILING.add(self.path[len("/_fail/"):]); return self.send(200, "{}")
        if self.path.startswith("/_advance/"):
            OFFSET[0] += float(self.path[len("/_advance/"):]); return self.send(200, "{}")
        if self.path == "/_heal":
            FAILING.clear(); return self.send(200, "{}")
        if self.path == "/token":
            request = json.loads(body or "{}")
            if self.count("CreateToken") or request.get("grantType") != "refresh_token" or request.get("refreshToken") != "refresh-1":
                return self.send(400, json.dumps({"error": "invalid_grant"}))
            return self.send(200, json.dumps({"accessToken": "refreshed-access-token", "expiresIn": 3600, "tokenType": "Bearer",
                                              "refreshToken": "refresh-2"}))
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body).items()}
        action = form.get("Action")
        auth = self.headers.get("Authorization", "")
        signer = auth.split("Credential=")[1].split("/")[0] if "Credential=" in auth else None
        if action and self.count(action):
            return self.send(403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>refused by the test</Message></Error></ErrorResponse>", "text/xml")
        if action == "AssumeRole":
            if not signer: return self.send(403, "<ErrorResponse><Error><Code>MissingAuthenticationToken</Code><Message>unsigned</Message></Error></ErrorResponse>", "text/xml")
            if form.get("SerialNumber") and form.get("TokenCode") != "123456":
                return self.send(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>MultiFactorAuthentication failed with invalid MFA one time pass code.</Message></Error></ErrorResponse>", "text/xml")
            role = form["RoleArn"]
            key = "ASIA" + h(role, signer, form.get("ExternalId"), form.get("SerialNumber"), form.get("DurationSeconds"))
            lifetime = int(form.get("DurationSeconds") or LIFETIME) if LIFETIME >= 900 else LIFETIME
            return self.assumed(action, key, role, form["RoleSessionName"], lifetime)
        if action == "AssumeRoleWithWebIdentity":
            role = form["RoleArn"]
            key = "ASIAWEB" + h(role, form.get("WebIdentityToken"))[:13]
            return self.assumed(action, key, role, form["RoleSessionName"], LIFETIME)
        if action == "GetCallerIdentity":
            arn = ROLES.get(signer, "arn:aws:iam::%s:user/%s" % (ACCOUNT, signer))
            return self.send(200, "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                "<Arn>%s</Arn><UserId>AIDA%s</UserId><Account>%s</Account></GetCallerIdentityResult>"
                "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>" % (arn, h(signer)[:12], arn.split(":")[4]), "text/xml")
        self.send(400, "<ErrorResponse><Error><Code>InvalidAction</Code><Message>%s</Message></Error></ErrorResponse>" % action, "text/xml")

    def assumed(self, action, key, role, session, lifetime):
        name = role.split("/")[-1]
        account = role.split(":")[4]
        arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (account, name, session)
        ROLES[key] = arn
        self.send(200, ("<%sResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><%sResult><Credentials>"
            "<AccessKeyId>%s</AccessKeyId><SecretAccessKey>secret-%s</SecretAccessKey><SessionToken>token-%s</SessionToken>"
            "<Expiration>%s</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA:%s</AssumedRoleId><Arn>%s</Arn>"
            "</AssumedRoleUser></%sResult></%sResponse>") % (action, action, key, key, key, iso(now() + lifetime), session, arn, action, action),
            "text/xml")

ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
"""#
}
