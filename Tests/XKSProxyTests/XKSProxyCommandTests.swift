import CKSTestSupport
import Foundation
import Testing

/// `cks xks-proxy` as a user runs it.
@Suite struct XKSProxyCommandTests {
    private func cks(_ arguments: [String], home: URL) async throws -> ChildProcess.Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment["CKS_HOME"] = home.path
        let process = try ChildProcess(Executables.cks.path, ["xks-proxy"] + arguments, environment: environment)
        return try await process.finish(bound: .seconds(120))
    }

    @Test func initPrintsTheConsoleConfigurationAndKeepsTheFilePrivate() async throws {
        let home = FileManager.default.temporaryDirectory.appending(path: "cks-xks-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let made = try await cks(["init", "--uri-path-prefix", "/example/uri/path/prefix", "--output", "json"], home: home)
        #expect(made.exit.isSuccess, "\(made.stderr)")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any])
        #expect(file["XksProxyUriPath"] as? String == "/example/uri/path/prefix/kms/xks/v1")
        let credential = try #require(file["XksProxyAuthenticationCredential"] as? [String: String])
        #expect(credential["AccessKeyId"]?.range(of: "^[A-Z2-7]{20,30}$", options: .regularExpression) != nil)
        #expect((credential["RawSecretAccessKey"]?.count ?? 0) >= 43)
        let attributes = try FileManager.default.attributesOfItem(atPath: home.appending(path: "xks-proxy/proxy.sqlite").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let status = try await cks(["status"], home: home)
        #expect(status.stdout.contains("/example/uri/path/prefix/kms/xks/v1"))
        #expect(!status.stdout.contains(credential["RawSecretAccessKey"]!), "the secret is shown only once")

        let rotated = try await cks(["rotate-credential"], home: home)
        #expect(rotated.exit.isSuccess, "\(rotated.stderr)")
        let third = try await cks(["rotate-credential"], home: home)
        #expect(third.exit.code == 2)
        #expect(third.stderr.contains("already holds two credentials"))
        let retired = try await cks(["rotate-credential", "--retire", credential["AccessKeyId"]!], home: home)
        #expect(retired.exit.isSuccess, "\(retired.stderr)")
    }

    @Test func keysAndFaultsFromTheCommandLine() async throws {
        let home = FileManager.default.temporaryDirectory.appending(path: "cks-xks-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let made = try await cks(["init", "--uri-path-prefix", "/p", "--access-key-id", "ABCDEFGHIJKLMNOPQRST",
                                  "--secret-access-key", String(repeating: "s", count: 43)], home: home)
        #expect(made.exit.isSuccess, "\(made.stderr)")
        #expect(try await cks(["create-key", "enc", "--usage", "ENCRYPT"], home: home).exit.isSuccess)
        let bad = try await cks(["create-key", "x", "--usage", "ENCRYPT,SIGNING"], home: home)
        #expect(bad.exit.code == 2)
        #expect(bad.stderr.contains("SIGNING"))
        #expect(try await cks(["disable-key", "enc"], home: home).exit.isSuccess)
        let listed = try await cks(["list-keys"], home: home)
        #expect(listed.stdout.contains("enc") && listed.stdout.contains("DISABLED"))
        #expect(try await cks(["fault", "latency", "300"], home: home).exit.isSuccess)
        #expect(try await cks(["fault", "key-manager", "UNAVAILABLE", "--instance", "1"], home: home).exit.isSuccess)
        let status = try await cks(["status"], home: home)
        #expect(status.stdout.contains("latency 300 ms"))
        #expect(status.stdout.contains("ekm-1 UNAVAILABLE, ekm-2 ACTIVE"))
        #expect(try await cks(["fault", "clear"], home: home).exit.isSuccess)
        #expect(try await cks(["status"], home: home).stdout.contains("Faults: none"))
        let badCredential = try await cks(["init", "--uri-path-prefix", "/q", "--access-key-id", "short", "--secret-access-key", "x"], home: home)
        #expect(badCredential.exit.code == 2)
    }
}
