import CKSTestSupport
import Foundation
import Testing

/// The real `cks` binary in tmux with external key stores on the embedded proxy: both tabs, a store created from
/// the proxy's configuration file, and a FAILED store repaired from the console twice, each time by the guided
/// repair's simulated fix: a host with no route (XKS_PROXY_NOT_REACHABLE), then a retired credential
/// (INVALID_CREDENTIALS) (issue 11).
@Suite("End to end: external key stores in tmux", .serialized,
       .enabled(if: TmuxConsole.tmuxPath != nil, "tmux is not installed (apt-get install tmux)"),
       .enabled(if: TmuxConsole.binary != nil, "no cks binary next to the test bundle; run swift build first"))
struct ExternalEndToEndTests {
    static let host = "xks.e2e.example.com"
    /// A debug build's TLS handshake on a loaded machine can take longer than KMS's 250 ms.
    static let proxyTimeout = "15000"

    /// `cks ARGS` on the console's world.
    @discardableResult
    func cks(_ console: TmuxConsole, _ arguments: [String]) async throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["CKS_HOME"] = console.home.path
        environment["CKS_PACE"] = "demo"
        environment["CKS_XKS_TIMEOUT_MS"] = Self.proxyTimeout
        return try await Spawn.run(TmuxConsole.binary!, arguments, environment: environment)
    }

    @Test func bothTabsThenAFailedExternalStoreIsRepaired() async throws {
        let console = try await TmuxConsole(width: 120, height: 36, environment: ["CKS_XKS_TIMEOUT_MS": Self.proxyTimeout])
        defer { console.close() }
        try await console.waitFor("CONNECTION STATE")
        #expect(await console.screen().contains("[ AWS CloudHSM key stores ("))
        // The local proxy gets a logical key store; the world routes the host to it.
        let file = console.home.appending(path: "proxy.json")
        let json = try await cks(console, ["xks-proxy", "init", "--uri-path-prefix", "/e2e", "--output", "json"])
        try Data(json.utf8).write(to: file)
        try await cks(console, ["sim", "xks-route", Self.host, "embedded"])

        await console.send("]")
        try await console.waitFor("[ External key stores (")
        try await console.waitFor("URI ENDPOINT")

        // Create from the proxy configuration file: name, endpoint, the file (Tab reads it), then Ctrl-S.
        await console.send("n")
        try await console.waitFor("Create external key store")
        await console.send("-l", "xks-e2e")
        await console.send("Tab", "Tab")
        await console.send("-l", "https://\(Self.host)")
        await console.send("Tab")
        await console.send("-l", file.path)
        await console.send("Tab")
        try await console.waitFor("URI path and credential filled in from it")
        #expect(await console.screen().contains("/e2e/kms/xks/v1"))
        await console.send("C-s")
        try await console.waitFor("Created xks-e2e")
        try await console.waitFor { TmuxConsole.row(of: "xks-e2e", in: $0)?.contains("○ DISCONNECTED") == true }
        let row = TmuxConsole.row(of: "xks-e2e", in: await console.screen()) ?? ""
        #expect(row.contains("https://\(Self.host)") && row.contains("Public"), "\(row)")

        // The host stops resolving: the connect ends FAILED with the code the wire gives.
        try await cks(console, ["sim", "xks-unroute", Self.host])
        _ = try await console.moveToRow(containing: "xks-e2e")
        await console.send("c")
        try await console.waitFor(within: .seconds(90)) {
            TmuxConsole.row(of: "xks-e2e", in: $0)?.contains("✗ FAILED  XKS_PROXY_NOT_REACHABLE") == true
        }

        // f walks the repair: disconnect, the simulated fix (the simulator routes the host), connect: the endpoint the
        // store has is right once the host resolves, so there is no edit.
        await console.send("f")
        try await console.waitFor("Disconnect xks-e2e?")
        await console.send("Tab", "Enter")
        try await console.waitFor("Apply the simulated fix to xks-e2e?", within: .seconds(90))
        #expect(await console.screen().contains("$ cks sim xks-route \(Self.host) embedded"))
        await console.send("Enter")
        try await console.waitFor("Connect xks-e2e now?", within: .seconds(90))
        #expect(await console.screen().contains("Repair of XKS_PROXY_NOT_REACHABLE, step 3 of 3"))
        await console.send("Enter")
        try await console.waitFor("Repaired: xks-e2e is CONNECTED", within: .seconds(90))

        // The proxy gets a new credential and retires the store's: the next connect ends INVALID_CREDENTIALS. The
        // demo world's stores have logical key stores of their own on the same proxy, so the prefix names this one.
        let old = try Self.accessKeyId(in: json)
        let rotated = try await cks(console, ["xks-proxy", "rotate-credential", "--uri-path-prefix", "/e2e", "--output", "json"])
        let new = try Self.accessKeyId(in: rotated)
        try await cks(console, ["xks-proxy", "rotate-credential", "--uri-path-prefix", "/e2e", "--retire", old])
        await console.send("Escape")
        try await console.waitFor("URI ENDPOINT")
        _ = try await console.moveToRow(containing: "xks-e2e")
        await console.send("d")
        try await console.waitFor("Disconnect xks-e2e?")
        await console.send("Tab", "Enter")
        try await console.waitFor(within: .seconds(90)) { TmuxConsole.row(of: "xks-e2e", in: $0)?.contains("○ DISCONNECTED") == true }
        await console.send("c")
        try await console.waitFor(within: .seconds(90)) {
            TmuxConsole.row(of: "xks-e2e", in: $0)?.contains("✗ FAILED  INVALID_CREDENTIALS") == true
        }
        // The simulated fix reads the credential the proxy accepts; the edit is filled in with it.
        await console.send("f")
        try await console.waitFor("Disconnect xks-e2e?")
        await console.send("Tab", "Enter")
        try await console.waitFor("Apply the simulated fix to xks-e2e?", within: .seconds(90))
        await console.send("Enter")
        try await console.waitFor("Edit key store xks-e2e", within: .seconds(90))
        #expect(await console.screen().contains(new), "the proxy's new access key ID is filled in")
        await console.send("C-s")
        try await console.waitFor("Connect xks-e2e now?", within: .seconds(90))
        await console.send("Enter")
        try await console.waitFor("Repaired: xks-e2e is CONNECTED", within: .seconds(90))

        // The detail: the proxy's configuration, its last health answer and the requests it served.
        await console.send("Escape")
        try await console.waitFor("URI ENDPOINT")
        _ = try await console.moveToRow(containing: "xks-e2e")
        await console.send("Enter")
        try await console.waitFor("External key store proxy configuration")
        try await console.waitFor("Proxy health")
        await console.send("l")
        try await console.waitFor("✓ answered", within: .testWaitBound)
        // The requests are further down, past the proxy's health (the timeline of two repairs follows them).
        await console.send("G")
        try await console.waitFor(within: .testWaitBound) { $0.contains("Proxy requests") && $0.contains("401 AuthenticationFailedException") }
    }

    /// The access key ID of a proxy configuration file.
    static func accessKeyId(in configuration: String) throws -> String {
        struct File: Decodable {
            struct Credential: Decodable { var AccessKeyId: String }
            var XksProxyAuthenticationCredential: Credential
        }
        return try JSONDecoder().decode(File.self, from: Data(configuration.utf8)).XksProxyAuthenticationCredential.AccessKeyId
    }
}
