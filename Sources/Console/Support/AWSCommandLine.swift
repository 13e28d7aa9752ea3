import KeyStoreEngine

/// The `aws kms …` command equivalent to what the console does, for the event log.
enum AWSCommandLine {
    static func connect(_ id: String, backend: BackendDescription) -> String {
        command("connect-custom-key-store", ["--custom-key-store-id", id], backend)
    }

    static func disconnect(_ id: String, backend: BackendDescription) -> String {
        command("disconnect-custom-key-store", ["--custom-key-store-id", id], backend)
    }

    static func delete(_ id: String, backend: BackendDescription) -> String {
        command("delete-custom-key-store", ["--custom-key-store-id", id], backend)
    }

    static func describe(_ id: String?, backend: BackendDescription) -> String {
        command("describe-custom-key-stores", id.map { ["--custom-key-store-id", $0] } ?? [], backend)
    }

    static func create(_ draft: CreateDraft, backend: BackendDescription) -> String {
        let anchor = draft.trustAnchorPath.isEmpty ? "file://customerCA.crt" : "file://" + draft.trustAnchorPath
        return command("create-custom-key-store", [
            "--custom-key-store-name", draft.name,
            "--cloud-hsm-cluster-id", draft.cloudHsmClusterId,
            "--trust-anchor-certificate", anchor,
            "--key-store-password", "<kmsuser-password>",
        ], backend)
    }

    /// An external key store's create; the secret stays out of the log.
    static func create(_ request: CreateKeyStoreRequest, backend: BackendDescription) -> String {
        var arguments = ["--custom-key-store-name", request.name]
        if let settings = request.external {
            arguments += ["--custom-key-store-type", "EXTERNAL_KEY_STORE",
                          "--xks-proxy-connectivity", settings.connectivity.rawValue,
                          "--xks-proxy-uri-endpoint", settings.uriEndpoint,
                          "--xks-proxy-uri-path", settings.uriPath]
            if let name = settings.vpcEndpointServiceName { arguments += ["--xks-proxy-vpc-endpoint-service-name", name] }
            if let owner = settings.vpcEndpointServiceOwner { arguments += ["--xks-proxy-vpc-endpoint-service-owner", owner] }
            arguments += ["--xks-proxy-authentication-credential",
                          "AccessKeyId=\(settings.credential.accessKeyId),RawSecretAccessKey=<secret-access-key>"]
        }
        return command("create-custom-key-store", arguments, backend)
    }

    static func update(_ request: UpdateKeyStoreRequest, backend: BackendDescription) -> String {
        var arguments = ["--custom-key-store-id", request.customKeyStoreId]
        if let name = request.newName { arguments += ["--new-custom-key-store-name", name] }
        if request.keyStorePassword != nil { arguments += ["--key-store-password", "<kmsuser-password>"] }
        if let cluster = request.cloudHsmClusterId { arguments += ["--cloud-hsm-cluster-id", cluster] }
        if let connectivity = request.xksProxyConnectivity { arguments += ["--xks-proxy-connectivity", connectivity.rawValue] }
        if let endpoint = request.xksProxyUriEndpoint { arguments += ["--xks-proxy-uri-endpoint", endpoint] }
        if let name = request.xksProxyVpcEndpointServiceName { arguments += ["--xks-proxy-vpc-endpoint-service-name", name] }
        if let owner = request.xksProxyVpcEndpointServiceOwner { arguments += ["--xks-proxy-vpc-endpoint-service-owner", owner] }
        if let path = request.xksProxyUriPath { arguments += ["--xks-proxy-uri-path", path] }
        if let credential = request.xksProxyCredential {
            arguments += ["--xks-proxy-authentication-credential",
                          "AccessKeyId=\(credential.accessKeyId),RawSecretAccessKey=<secret-access-key>"]
        }
        return command("update-custom-key-store", arguments, backend)
    }

    static func createKey(_ storeId: String, description: String, xksKeyId: String?, backend: BackendDescription) -> String {
        var arguments = ["--custom-key-store-id", storeId, "--origin", xksKeyId == nil ? "AWS_CLOUDHSM" : "EXTERNAL_KEY_STORE"]
        if let xksKeyId { arguments += ["--xks-key-id", xksKeyId] }
        if !description.isEmpty { arguments += ["--description", description] }
        return command("create-key", arguments, backend)
    }

    private static func command(_ operation: String, _ arguments: [String], _ backend: BackendDescription) -> String {
        var words = ["aws", "kms", operation] + arguments.map(quote)
        if let endpoint = backend.endpoint { words += ["--endpoint-url", quote(endpoint)] }
        if backend.name == "aws" { words += ["--region", quote(backend.region)] }
        return words.joined(separator: " ")
    }

    /// Single quotes when a shell would otherwise split or expand the word.
    static func quote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@%+,<>".contains($0) }
        if safe, !word.isEmpty, !word.hasPrefix("<") || word.hasSuffix(">") { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
