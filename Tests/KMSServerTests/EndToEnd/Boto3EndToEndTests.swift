import Foundation
import Testing

/// `cks serve` driven by boto3 (Tests/KMSServerEndToEnd/boto3_e2e.py): botocore's paginators, modeled
/// exceptions, data keys and CloudHSMv2. Skipped (with the reason) when python3 or boto3 is missing.
@Suite("boto3 against cks serve", .enabled("needs python3 with boto3 (pip install boto3)") { await Tools.hasBoto3.value })
struct Boto3EndToEndTests {
    static let script = Tools.packageRoot.appending(path: "Tests/KMSServerEndToEnd/boto3_e2e.py")

    static let checks = [
        "describe_custom_key_stores paginator", "create and connect", "list_keys paginator", "encrypt/decrypt",
        "encryption context", "generate_data_key", "generate_random", "unavailable key", "wrong secret", "unknown access key",
        "describe_clusters paginator", "validation",
    ]

    @Test("The boto3 scenario passes every check")
    func scenario() async throws {
        let server = try await ServeProcess()
        let python3 = try #require(Tools.python3)
        let anchor = try await server.cks(["sim", "trust-anchor", "cluster-3sparecapac"])
        try #require(anchor.status == 0, "\(anchor)")
        let anchorFile = server.home.appending(path: "customerCA.crt")
        try anchor.stdout.write(to: anchorFile, atomically: true, encoding: .utf8)
        let result = try await Processes.run(
            python3, [Self.script.path, "--endpoint", server.url, "--trust-anchor-file", anchorFile.path,
                      "--spare-cluster", "cluster-3sparecapac", "--password", "SpareCluster1"],
            environment: server.clientEnvironment(), bound: .seconds(120))
        #expect(result.status == 0, "\(result)")
        for check in Self.checks {
            #expect(result.stdout.contains("ok: \(check)"), "missing check \(check)\n\(result)")
        }
        _ = try await server.stop()
    }
}
