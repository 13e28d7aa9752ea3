import ArgumentParser
import Foundation
import KeyStoreEngine
import KMSServer
import Simulator

/// `cks serve`: the simulated world as a KMS endpoint (JSON 1.1, SigV4) for the aws CLI and every SDK.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the simulator as a KMS endpoint for the aws CLI and the AWS SDKs.",
        discussion: """
            Answers the KMS JSON 1.1 protocol (POST / with X-Amz-Target: TrentService.<Operation>): the six custom \
            key store operations (AWS CloudHSM and external key stores), CreateKey (Origin AWS_CLOUDHSM or \
            EXTERNAL_KEY_STORE with XksKeyId), DescribeKey, ListKeys, EnableKey, DisableKey, ScheduleKeyDeletion, \
            CancelKeyDeletion, Encrypt, Decrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext and GenerateRandom; \
            and CloudHSMv2 DescribeClusters. Requests must be signed (SigV4) with the credentials it prints. \
            Workflows advance while it runs, and the console and the CLI can use the same world at the same time.

            Point a client at it with --endpoint-url, e.g.
              aws kms describe-custom-key-stores --endpoint-url http://127.0.0.1:4599
            Ctrl-C (SIGINT) or SIGTERM stops it.
            """
    )

    @Option(help: "The address to listen on. Loopback by default; anything else exposes the world to the network.")
    var host = "127.0.0.1"

    @Option(help: "The TCP port (0 lets the system choose).")
    var port = 4599

    @Option(help: ArgumentHelp("Accept requests signed with these credentials instead of the world's own pair.",
                               valueName: "AKID:SECRET"))
    var credentials: String?

    @Flag(help: "Do not verify signatures at all (local experiments only).")
    var noAuth = false

    @OptionGroup var world: WorldOptions

    func run() async throws {
        try await reportingErrors {
            guard (0...65_535).contains(port) else {
                throw CLIError(message: "--port must be between 0 and 65535.", exitCode: ExitStatus.usage)
            }
            if noAuth && credentials != nil {
                throw CLIError(message: "--no-auth and --credentials cannot be used together.", exitCode: ExitStatus.usage)
            }
            let keys = try credentials.map(Self.parseCredentials)
            guard world.backend == .simulator else {
                throw CLIError(message: "cks serve serves the embedded simulator; it cannot serve --backend \(world.backend.rawValue).",
                               exitCode: ExitStatus.usage)
            }
            let service: SimulatorService
            do {
                service = try SimulatorService.open(pace: world.effectivePace, drive: true)
            } catch {
                throw CLIError(message: "\(error)", exitCode: ExitStatus.usage)
            }
            let pair: (accessKeyId: String, secretAccessKey: String)
            if let keys { pair = keys } else { pair = try await service.serverCredentials() }
            let authentication: ServerAuthentication = noAuth
                ? .disabled : .sigV4(accessKeyId: pair.accessKeyId, secretAccessKey: pair.secretAccessKey)
            let handler = KMSRequestHandler(service: service, authentication: authentication)
            let server: KMSHTTPServer
            do {
                server = try await KMSHTTPServer.start(host: host, port: port, handler: handler)
            } catch {
                service.close()
                throw CLIError(message: "\(error)", exitCode: ExitStatus.usage)
            }
            let watcher = SignalWatcher(signals: [SIGINT, SIGTERM], onSecond: "cks serve: stopping at once (second signal).") {
                Task { await server.stop() }
            }
            ServeBanner(server: server, service: service, credentials: noAuth ? nil : pair).print()
            StartupPages.release()
            await server.waitUntilClosed()
            await server.stop()
            watcher.cancel()
            do throws(KMSError) {
                try service.writePendingUsesNow()
            } catch {
                ServeBanner.warn("cks serve: the last uses of keys (\"last used\") could not be written: \(error.message)")
            }
            service.close()
            ServeBanner.say("cks serve: stopped.")
        }
    }

    static func parseCredentials(_ text: String) throws -> (accessKeyId: String, secretAccessKey: String) {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex else {
            throw CLIError(message: "--credentials takes ACCESS_KEY_ID:SECRET_ACCESS_KEY.", exitCode: ExitStatus.usage)
        }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}

/// What `cks serve` says when it starts: where it listens, how to sign, and an example to paste.
struct ServeBanner {
    var server: KMSHTTPServer
    var service: SimulatorService
    var credentials: (accessKeyId: String, secretAccessKey: String)?

    func print() {
        let host = server.host.contains(":") ? "[\(server.host)]" : server.host
        let url = "http://\(host):\(server.port)"
        let region = service.backend.region
        var lines = [
            "cks serve: KMS endpoint on \(url)",
            "  world: \(service.home.appending(path: "world.sqlite").path) (account \(service.backend.accountId), \(region))",
        ]
        if let credentials {
            lines += [
                "  SigV4 is verified. Sign with:",
                "  export AWS_ACCESS_KEY_ID=\(credentials.accessKeyId) AWS_SECRET_ACCESS_KEY=\(credentials.secretAccessKey) AWS_DEFAULT_REGION=\(region)",
            ]
        } else {
            lines += ["  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=\(region)"]
        }
        lines += [
            "  Try:",
            "  aws kms describe-custom-key-stores --endpoint-url \(url)",
            "  aws cloudhsmv2 describe-clusters --endpoint-url \(url)",
            "  Ctrl-C stops the server.",
        ]
        Self.say(lines.joined(separator: "\n"))
        if credentials == nil {
            Self.warn("""
                cks serve: WARNING: --no-auth is on. Signatures are NOT verified: anyone who can reach \(url) \
                can read and change this world and use its keys.
                """)
        }
        if !["127.0.0.1", "::1", "localhost"].contains(server.host) {
            Self.warn("cks serve: WARNING: listening on \(server.host), not loopback: other machines can reach this endpoint.")
        }
    }

    /// Writes a line to standard output at once (no buffering, so a pipe sees it while the server runs).
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func warn(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
