import ArgumentParser
import Foundation
import XKSProxy

/// `cks xks-proxy init`: a logical key store (URI path prefix and SigV4 credential).
struct XKSProxyInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Add a logical key store to the proxy (making the proxy if needed) and print its configuration.",
        discussion: """
            The credential is generated when not given, and shown only now: keep it. The printed proxy \
            configuration file is what the KMS console's "Upload configuration file" accepts.
            """
    )

    @Option(help: ArgumentHelp("The URI path prefix, e.g. /example/uri/path/prefix (cks adds /kms/xks/v1).", valueName: "prefix"))
    var uriPathPrefix: String

    @Option(help: ArgumentHelp("The SigV4 access key id (20-30 characters of A-Z, 2-7). Generated when not given.", valueName: "id"))
    var accessKeyId: String?

    @Option(help: ArgumentHelp("The SigV4 secret (43-64 characters of a-z, A-Z, 0-9, /, +, =). Generated when not given.", valueName: "secret"))
    var secretAccessKey: String?

    @Option(help: ArgumentHelp("The Region requests must be signed for (the Region KMS calls from). Default us-east-1; applies to the whole proxy.", valueName: "region"))
    var region: String?

    @Option(help: ArgumentHelp("How many external key manager instances GetHealthStatus reports (1-10; default 2).", valueName: "n"))
    var keyManagerInstances: Int?

    @Option(name: [.short, .long], help: "table or json (json prints only the proxy configuration file).")
    var output: OutputFormat = .table

    func run() async throws {
        try await XKSProxyCLI.run {
            if (accessKeyId == nil) != (secretAccessKey == nil) {
                throw CLIError(message: "Give both --access-key-id and --secret-access-key, or neither (cks then generates both).", exitCode: ExitStatus.usage)
            }
            if let keyManagerInstances, !(1...10).contains(keyManagerInstances) {
                throw CLIError(message: "--key-manager-instances must be between 1 and 10.", exitCode: ExitStatus.usage)
            }
            let prefix = try CredentialRules.normalizePrefix(uriPathPrefix)
            let credential = try XKSProxyCredentialInput.make(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey)
            let database = try ProxyDatabase.open(home: XKSProxyCLI.home, create: true)
            defer { database.close() }
            if let region {
                guard region.range(of: "^[a-z]{2}(-[a-z]+)+-[0-9]+$", options: .regularExpression) != nil else {
                    throw CLIError(message: "\(region) is not a Region name (e.g. us-east-1).", exitCode: ExitStatus.usage)
                }
                try database.setSetting("region", region)
            }
            if let keyManagerInstances { try database.setSetting("key_manager_instances", String(keyManagerInstances)) }
            try database.addKeyStore(prefix: prefix, credential: credential)
            let snapshot = try database.snapshot()
            XKSProxyCredentialInput.print(prefix: prefix, credential: credential, region: snapshot.region,
                                          output: output, heading: "Logical key store \(XKSProxyCLI.shown(prefix)) added to the XKS proxy.")
        }
    }
}

/// `cks xks-proxy rotate-credential`: a second credential for a store, or retiring the old one.
struct XKSProxyRotateCredential: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-credential",
        abstract: "Add a new credential to a logical key store (both work), or retire the old one.",
        discussion: """
            Rotation as the spec describes it: add the new credential here, give it to KMS \
            (UpdateCustomKeyStore), then retire the old one with --retire OLD_ACCESS_KEY_ID.
            """
    )

    @Option(help: ArgumentHelp("The logical key store (needed when the proxy has several).", valueName: "prefix"))
    var uriPathPrefix: String?

    @Option(help: ArgumentHelp("The new access key id. Generated when not given.", valueName: "id"))
    var accessKeyId: String?

    @Option(help: ArgumentHelp("The new secret. Generated when not given.", valueName: "secret"))
    var secretAccessKey: String?

    @Option(help: ArgumentHelp("Remove this credential instead of adding one.", valueName: "id"))
    var retire: String?

    @Option(name: [.short, .long], help: "table or json (json prints only the proxy configuration file).")
    var output: OutputFormat = .table

    func run() async throws {
        try await XKSProxyCLI.run {
            let database = try XKSProxyCLI.open()
            defer { database.close() }
            let prefix = try XKSProxyCLI.prefix(uriPathPrefix, in: database)
            if let retire {
                guard accessKeyId == nil, secretAccessKey == nil else {
                    throw CLIError(message: "--retire removes a credential; it cannot be combined with --access-key-id or --secret-access-key.", exitCode: ExitStatus.usage)
                }
                try database.retireCredential(prefix: prefix, accessKeyId: retire)
                emit("Credential \(retire) retired from \(XKSProxyCLI.shown(prefix)); requests signed with it now fail with AuthenticationFailedException.")
                return
            }
            if (accessKeyId == nil) != (secretAccessKey == nil) {
                throw CLIError(message: "Give both --access-key-id and --secret-access-key, or neither (cks then generates both).", exitCode: ExitStatus.usage)
            }
            let credential = try XKSProxyCredentialInput.make(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey)
            try database.addCredential(prefix: prefix, credential: credential)
            let snapshot = try database.snapshot()
            XKSProxyCredentialInput.print(prefix: prefix, credential: credential, region: snapshot.region, output: output,
                                          heading: "New credential added to \(XKSProxyCLI.shown(prefix)); the old one keeps working until you retire it.")
        }
    }
}

/// Making and printing a credential.
enum XKSProxyCredentialInput {
    static func make(accessKeyId: String?, secretAccessKey: String?) throws(XKSProxyError) -> ProxyCredential {
        let id = accessKeyId ?? CredentialRules.generateAccessKeyId()
        let secret = secretAccessKey ?? CredentialRules.generateSecret()
        try CredentialRules.checkAccessKeyId(id)
        try CredentialRules.checkSecret(secret)
        return ProxyCredential(accessKeyId: id, secretAccessKey: secret, createdAt: Date())
    }

    /// The proxy configuration file of the KMS console.
    static func configuration(prefix: String, credential: ProxyCredential) -> [String: Any] {
        [
            "XksProxyUriPath": LogicalKeyStore(prefix: prefix, credentials: [], createdAt: Date()).uriPath,
            "XksProxyAuthenticationCredential": [
                "AccessKeyId": credential.accessKeyId, "RawSecretAccessKey": credential.secretAccessKey,
            ],
        ]
    }

    static func print(prefix: String, credential: ProxyCredential, region: String, output: OutputFormat, heading: String) {
        let file = XKSProxyCLI.json(configuration(prefix: prefix, credential: credential))
        if output == .json {
            emit(file)
            return
        }
        emit(heading)
        emit("  URI path           \(prefix)/kms/xks/v1")
        emit("  Access key ID      \(credential.accessKeyId)")
        emit("  Secret access key  \(credential.secretAccessKey)   (shown only now: keep it)")
        emit("  Signing            SigV4, service kms-xks-proxy, Region \(region)")
        emit()
        emit("Proxy configuration file (KMS console: Upload configuration file):")
        emit(file)
    }
}
