import AWSBackend
import ArgumentParser
import Foundation
import KeyStoreEngine

/// `cks whoami`: the account, the ARN and where the credentials came from (STS GetCallerIdentity).
struct WhoAmI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show the account and identity of the AWS credentials (STS GetCallerIdentity) and where they came from.",
        discussion: """
            With --backend aws: the same credential chain as every other command (the environment, role_arn with \
            source_profile or credential_source, web identity, IAM Identity Center, credential_process, containers, \
            EC2 instances). `--output json` prints what `aws sts get-caller-identity` prints, plus CredentialSource \
            (botocore's name of the source: env, assume-role, sso, …).
            """
    )

    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func run() async throws {
        try await reportingErrors {
            guard world.backend == .aws else {
                throw CLIError(message: "whoami asks AWS who the credentials belong to: add --backend aws (the simulator has no caller identity).",
                               exitCode: ExitStatus.usage)
            }
            let service = try world.openFirstAWSService().service
            let identity = try await service.callerIdentity()
            let source = service.settings.credentials
            switch output {
            case .json:
                print(JSONValue.object([
                    ("UserId", .string(identity.userId)), ("Account", .string(identity.account)), ("Arn", .string(identity.arn)),
                    ("CredentialSource", .string(source.method)),
                ]).prettyPrinted())
            case .table:
                let rows = [["Account", identity.account], ["Arn", identity.arn], ["UserId", identity.userId],
                            ["Credentials", source.origin], ["Profile", service.settings.profile], ["Region", service.settings.region]]
                let width = rows.map { $0[0].count }.max() ?? 0
                for row in rows { print(row[0].padding(toLength: width + 2, withPad: " ", startingAt: 0) + row[1]) }
            }
        }
    }
}
