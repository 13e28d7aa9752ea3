import ArgumentParser
import Foundation
import KeyStoreEngine

/// The options of `cks create --type external` and `cks update` that describe an external key store's proxy.
/// The secret is read from the command line, a file or standard input, and never printed.
struct XKSProxyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How KMS reaches the proxy: public (a public endpoint, the default for a new store) or vpc (a VPC endpoint service).",
                               valueName: "public|vpc"))
    var connectivity: ConnectivityArgument?

    @Option(help: ArgumentHelp("The proxy's URI endpoint, https:// and a host name, no port and no path (XksProxyUriEndpoint).",
                               valueName: "https://host"))
    var endpoint: String?

    @Option(help: ArgumentHelp("The proxy's URI path, an optional prefix then /kms/xks/v1 (XksProxyUriPath).",
                               valueName: "/prefix/kms/xks/v1"))
    var path: String?

    @Option(help: ArgumentHelp("The access key ID of the proxy credential (20-30 characters of A-Z, 2-7).", valueName: "id"))
    var accessKeyId: String?

    @Option(help: ArgumentHelp("The secret of the proxy credential (43-64 Base64 characters). Prefer --secret-file: a command line can be seen by others.",
                               valueName: "secret"))
    var secret: String?

    @Option(help: ArgumentHelp("Read the proxy credential's secret from this file (- for standard input).", valueName: "file"))
    var secretFile: String?

    @Option(help: ArgumentHelp("A proxy configuration file (the JSON `cks xks-proxy config` prints, as the KMS console accepts it); it gives the URI path and the credential.",
                               valueName: "file"))
    var proxyConfig: String?

    @Option(help: ArgumentHelp("With --connectivity vpc: the VPC endpoint service name, e.g. com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0. With `cks update`, \"\" removes it (for a switch to public).",
                               valueName: "name"))
    var vpcEndpointServiceName: String?

    @Option(help: ArgumentHelp("With --connectivity vpc: the 12-digit account that owns the VPC endpoint service (default: yours).",
                               valueName: "account"))
    var vpcEndpointServiceOwner: String?

    enum ConnectivityArgument: String, ExpressibleByArgument, CaseIterable {
        case `public`
        case vpc

        var connectivity: XKSProxyConnectivity {
            switch self {
            case .public: .publicEndpoint
            case .vpc: .vpcEndpointService
            }
        }
    }

    /// True when any option was given.
    var anyGiven: Bool { !givenNames.isEmpty }

    /// The options given, as the user typed them, for messages.
    var givenNames: [String] {
        [("--connectivity", connectivity != nil), ("--endpoint", endpoint != nil), ("--path", path != nil),
         ("--access-key-id", accessKeyId != nil), ("--secret", secret != nil), ("--secret-file", secretFile != nil),
         ("--proxy-config", proxyConfig != nil), ("--vpc-endpoint-service-name", vpcEndpointServiceName != nil),
         ("--vpc-endpoint-service-owner", vpcEndpointServiceOwner != nil)].filter(\.1).map(\.0)
    }

    /// The URI path and credential the options give, from the options themselves or the proxy configuration file.
    /// The credential is nil when neither part is given; one part without the other is refused.
    func access(readingStandardInput input: () -> Data = { FileHandle.standardInput.readDataToEndOfFile() }) throws
        -> (path: String?, credential: XKSProxyCredential?)
    {
        if secret != nil && secretFile != nil {
            throw Self.usage("Give the secret with --secret or --secret-file, not both.")
        }
        var path = self.path
        var accessKeyId = self.accessKeyId
        var secret = try secretFile.map { try Self.readSecret($0, input: input) } ?? self.secret
        if let proxyConfig {
            let file = try ProxyConfigurationFile.read(proxyConfig)
            let clashes = [("--path", path != nil), ("--access-key-id", accessKeyId != nil), ("--secret", self.secret != nil),
                           ("--secret-file", secretFile != nil)].filter(\.1).map(\.0)
            guard clashes.isEmpty else {
                throw Self.usage("\(clashes.joined(separator: ", ")) and --proxy-config both give the URI path and credential. Use the file alone, or leave it out.")
            }
            path = file.uriPath
            accessKeyId = file.credential.accessKeyId
            secret = file.credential.rawSecretAccessKey
        }
        switch (accessKeyId, secret) {
        case (nil, nil): return (path, nil)
        case let (id?, secret?): return (path, XKSProxyCredential(accessKeyId: id, rawSecretAccessKey: secret))
        case (nil, _?): throw Self.usage("A proxy credential needs both parts: add --access-key-id (KMS takes the access key ID and the secret together).")
        case (_?, nil): throw Self.usage("A proxy credential needs both parts: add --secret-file FILE (or --secret) with the secret of access key \(accessKeyId ?? "").")
        }
    }

    /// The settings of CreateCustomKeyStore for an external key store.
    func settings(readingStandardInput input: () -> Data = { FileHandle.standardInput.readDataToEndOfFile() }) throws -> XKSProxySettings {
        let (path, credential) = try access(readingStandardInput: input)
        let missing = [("--endpoint https://HOST", endpoint == nil), ("--path /PREFIX/kms/xks/v1 (or --proxy-config FILE)", path == nil),
                       ("--access-key-id and --secret-file (or --proxy-config FILE)", credential == nil)].filter(\.1).map(\.0)
        guard let endpoint, let path, let credential else {
            throw Self.usage("An external key store needs its proxy's endpoint, URI path and credential; missing: \(missing.joined(separator: ", ")).")
        }
        return XKSProxySettings(connectivity: connectivity?.connectivity ?? .publicEndpoint, uriEndpoint: endpoint, uriPath: path, credential: credential,
                                vpcEndpointServiceName: vpcEndpointServiceName, vpcEndpointServiceOwner: vpcEndpointServiceOwner)
    }

    private static func readSecret(_ file: String, input: () -> Data) throws -> String {
        let data: Data
        if file == "-" {
            data = input()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw usage("Cannot read the secret file \(file). Give a file that holds only the proxy credential's secret.")
            }
            data = contents
        }
        let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty else { throw usage("The secret file \(file) is empty. Put the proxy credential's secret in it.") }
        return secret
    }

    static func usage(_ message: String) -> CLIError {
        CLIError(message: message, exitCode: ExitStatus.usage)
    }
}

/// The proxy configuration file of the XKS specification (section 3.8), as the KMS console's "Upload
/// configuration file" takes it: `{"XksProxyUriPath": …, "XksProxyAuthenticationCredential": {"AccessKeyId": …, "RawSecretAccessKey": …}}`.
struct ProxyConfigurationFile: Equatable {
    var uriPath: String
    var credential: XKSProxyCredential

    static func read(_ file: String) throws -> ProxyConfigurationFile {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw XKSProxyOptions.usage("Cannot read the proxy configuration file \(file). `cks xks-proxy config > FILE` writes one for the local proxy.")
        }
        return try parse(data, name: file)
    }

    static func parse(_ data: Data, name: String) throws -> ProxyConfigurationFile {
        guard let json = try? JSONValue.parse(data) else {
            throw XKSProxyOptions.usage("\(name) is not JSON. A proxy configuration file is {\"XksProxyUriPath\": …, \"XksProxyAuthenticationCredential\": {\"AccessKeyId\": …, \"RawSecretAccessKey\": …}}.")
        }
        let credential = json["XksProxyAuthenticationCredential"]
        let missing = [("XksProxyUriPath", json["XksProxyUriPath"]?.stringValue), ("AccessKeyId", credential?["AccessKeyId"]?.stringValue),
                       ("RawSecretAccessKey", credential?["RawSecretAccessKey"]?.stringValue)].filter { $0.1 == nil }.map(\.0)
        guard let path = json["XksProxyUriPath"]?.stringValue, let id = credential?["AccessKeyId"]?.stringValue,
              let secret = credential?["RawSecretAccessKey"]?.stringValue else {
            throw XKSProxyOptions.usage("The proxy configuration file \(name) lacks \(missing.joined(separator: ", ")). It needs XksProxyUriPath and XksProxyAuthenticationCredential with AccessKeyId and RawSecretAccessKey.")
        }
        return ProxyConfigurationFile(uriPath: path, credential: XKSProxyCredential(accessKeyId: id, rawSecretAccessKey: secret))
    }
}
