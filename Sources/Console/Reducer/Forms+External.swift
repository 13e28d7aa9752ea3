import KeyStoreEngine

/// The forms of external key stores (create and edit, as on the KMS console's pages) and the Create key form,
/// and the requests read out of them.
extension Forms {
    static let vpcOnlyReason = "only for VPC endpoint service connectivity (←/→ on Proxy connectivity)"
    static let connectivityChoices = XKSProxyConnectivity.allCases.map(\.displayName)

    static func createExternal() -> FormState {
        var form = FormState(kind: .createExternal, fields: [
            .init(id: .name, label: "Name", value: "", placeholder: "a name unique in the Region"),
            .init(id: .connectivity, label: "Proxy connectivity", value: XKSProxyConnectivity.publicEndpoint.displayName,
                  placeholder: "", isChoice: true, suggestions: connectivityChoices),
            .init(id: .vpcServiceName, label: "VPC service name", value: "",
                  placeholder: "com.amazonaws.vpce.us-east-1.vpce-svc-…"),
            .init(id: .vpcServiceOwner, label: "VPC service owner", value: "", placeholder: "empty: this account"),
            .init(id: .uriEndpoint, label: "Proxy URI endpoint", value: "", placeholder: "https://host (no port, no path)"),
            .init(id: .proxyConfigurationFile, label: "Configuration file", value: "",
                  placeholder: "optional: a proxy configuration file fills path and credential"),
            .init(id: .uriPath, label: "Proxy URI path", value: "", placeholder: "/kms/xks/v1 or /prefix/kms/xks/v1"),
            .init(id: .accessKeyId, label: "Access key ID", value: "", placeholder: "20 to 30 characters A-Z, 2-7"),
            .init(id: .secretAccessKey, label: "Secret access key", value: "", placeholder: "43 to 64 characters",
                  isSecret: true),
        ])
        applyConnectivity(&form)
        return form
    }

    static func editExternal(_ store: CustomKeyStore, renameReason: String?, settingsReason: String?, accessReason: String?,
                             notice: String?, focusOn: FormState.FieldID?, prefill: [FormState.FieldID: String] = [:]) -> FormState {
        let proxy = store.xksProxyConfiguration
        let connectivity = proxy?.connectivity.displayName ?? XKSProxyConnectivity.publicEndpoint.displayName
        func field(_ id: FormState.FieldID, _ label: String, _ value: String, placeholder: String = "", reason: String?,
                   secret: Bool = false) -> FormState.Field {
            .init(id: id, label: label, value: value, placeholder: placeholder, isSecret: secret, disabledReason: reason, original: value)
        }
        var connectivityField = field(.connectivity, "Proxy connectivity", connectivity, reason: settingsReason)
        connectivityField.isChoice = true
        connectivityField.suggestions = connectivityChoices
        var form = FormState(kind: .edit(storeId: store.id), fields: [
            field(.name, "Name", store.name, reason: renameReason),
            connectivityField,
            field(.vpcServiceName, "VPC service name", proxy?.vpcEndpointServiceName ?? "",
                  placeholder: "com.amazonaws.vpce.us-east-1.vpce-svc-…", reason: settingsReason),
            field(.vpcServiceOwner, "VPC service owner", proxy?.vpcEndpointServiceOwner ?? "", placeholder: "empty: this account",
                  reason: settingsReason),
            field(.uriEndpoint, "Proxy URI endpoint", proxy?.uriEndpoint ?? "", placeholder: "https://host (no port, no path)",
                  reason: settingsReason),
            field(.proxyConfigurationFile, "Configuration file", "",
                  placeholder: "optional: a proxy configuration file fills path and credential", reason: accessReason),
            field(.uriPath, "Proxy URI path", proxy?.uriPath ?? "", placeholder: "/kms/xks/v1 or /prefix/kms/xks/v1",
                  reason: accessReason),
            field(.accessKeyId, "Access key ID", proxy?.accessKeyId ?? "", placeholder: "20 to 30 characters A-Z, 2-7",
                  reason: accessReason),
            field(.secretAccessKey, "Secret access key", "", placeholder: "unchanged when empty (KMS never returns it)",
                  reason: accessReason, secret: true),
        ])
        applyConnectivity(&form)
        form.notice = notice
        for (id, value) in prefill { form.fill(id, with: value) }
        let wanted = focusOn.flatMap { id in form.fields.firstIndex { $0.id == id && $0.disabledReason == nil } }
        form.focus = wanted ?? form.fields.firstIndex { $0.disabledReason == nil } ?? form.cancelIndex
        return form
    }

    /// CreateKey in a store: a description, and for an external key store the external key's ID in its proxy.
    static func createKey(in store: CustomKeyStore) -> FormState {
        var fields: [FormState.Field] = [
            .init(id: .keyDescription, label: "Description", value: "", placeholder: "optional"),
        ]
        if store.type == .externalKeyStore {
            fields.append(.init(id: .xksKeyId, label: "External key ID", value: "",
                                placeholder: "the key's ID in the proxy's key manager (required)"))
        }
        var form = FormState(kind: .createKey(storeId: store.id), fields: fields)
        form.focus = store.type == .externalKeyStore ? 1 : 0
        return form
    }

    static func connectivity(of form: FormState) -> XKSProxyConnectivity {
        XKSProxyConnectivity.allCases.first { $0.displayName == form.value(.connectivity) } ?? .publicEndpoint
    }

    /// The VPC fields show and can be filled only with VPC endpoint service connectivity (unless the rules lock them
    /// anyway), as on the KMS console, where the fields follow the connectivity.
    static func applyConnectivity(_ form: inout FormState) {
        let vpc = connectivity(of: form) == .vpcEndpointService
        for id in [FormState.FieldID.vpcServiceName, .vpcServiceOwner] {
            guard let index = form.index(of: id) else { continue }
            form.fields[index].isHidden = !vpc
            let reason = form.fields[index].disabledReason
            guard reason == nil || reason == vpcOnlyReason else { continue }
            form.fields[index].disabledReason = vpc ? nil : vpcOnlyReason
        }
    }

    /// Puts a proxy configuration file's URI path and credential into the form.
    static func fill(_ form: inout FormState, from file: ProxyConfigurationFile, path: String) {
        form.fill(.uriPath, with: file.uriPath)
        form.fill(.accessKeyId, with: file.credential.accessKeyId)
        form.fill(.secretAccessKey, with: file.credential.rawSecretAccessKey)
        form.proxyConfigurationFileRead = path
        if form.problem?.field == .proxyConfigurationFile { form.problem = nil }
    }

    /// True when the form names a proxy configuration file it has not read yet.
    static func hasUnreadProxyConfigurationFile(_ form: FormState) -> Bool {
        guard let field = form.field(.proxyConfigurationFile), field.disabledReason == nil else { return false }
        return !field.value.isEmpty && field.value != form.proxyConfigurationFileRead
    }

    /// CreateCustomKeyStore for an external key store, as the form says it.
    static func externalRequest(_ form: FormState) -> CreateKeyStoreRequest {
        let vpc = connectivity(of: form) == .vpcEndpointService
        let owner = form.value(.vpcServiceOwner)
        return CreateKeyStoreRequest(name: form.value(.name), external: XKSProxySettings(
            connectivity: connectivity(of: form), uriEndpoint: form.value(.uriEndpoint), uriPath: form.value(.uriPath),
            credential: XKSProxyCredential(accessKeyId: form.value(.accessKeyId), rawSecretAccessKey: form.value(.secretAccessKey)),
            vpcEndpointServiceName: vpc ? form.value(.vpcServiceName) : nil,
            vpcEndpointServiceOwner: vpc && !owner.isEmpty ? owner : nil))
    }

    /// UpdateCustomKeyStore for an external key store with only what changed; nil when nothing did. The credential
    /// goes whole or not at all, as KMS takes it.
    static func externalUpdate(_ form: FormState, storeId: String) -> Result<UpdateKeyStoreRequest?, FormState.Problem> {
        var request = UpdateKeyStoreRequest(customKeyStoreId: storeId)
        func changed(_ id: FormState.FieldID) -> String? {
            guard let field = form.field(id), field.disabledReason == nil, field.value != field.original else { return nil }
            return field.value
        }
        request.newName = changed(.name)
        if let connectivity = changed(.connectivity) {
            request.xksProxyConnectivity = XKSProxyConnectivity.allCases.first { $0.displayName == connectivity }
            // To PUBLIC_ENDPOINT the service name must go (an empty one removes it).
            if request.xksProxyConnectivity == .publicEndpoint { request.xksProxyVpcEndpointServiceName = "" }
        }
        request.xksProxyUriEndpoint = changed(.uriEndpoint)
        if let name = changed(.vpcServiceName) { request.xksProxyVpcEndpointServiceName = name }
        if let owner = changed(.vpcServiceOwner), !owner.isEmpty { request.xksProxyVpcEndpointServiceOwner = owner }
        request.xksProxyUriPath = changed(.uriPath)
        let secret = form.field(.secretAccessKey).flatMap { $0.disabledReason == nil ? $0.value : nil } ?? ""
        if !secret.isEmpty {
            request.xksProxyCredential = XKSProxyCredential(accessKeyId: form.value(.accessKeyId), rawSecretAccessKey: secret)
        } else if let accessKeyId = changed(.accessKeyId) {
            return .failure(FormState.Problem(field: .secretAccessKey, message: "KMS takes both parts of the credential together: "
                + "type the secret access key that goes with \(accessKeyId.isEmpty ? "the new access key ID" : accessKeyId), "
                + "or name the proxy configuration file."))
        }
        let nothing = request.newName == nil && !request.touchesProxySettings
        return .success(nothing ? nil : request)
    }

    /// The field a KMS error about an external key store or key names, if any.
    static func externalField(for error: KMSError) -> FormState.FieldID? {
        let message = error.message.lowercased()
        switch error.code {
        case .xksProxyUriEndpointInUse, .xksProxyUriUnreachable: return .uriEndpoint
        case .xksProxyUriInUse, .xksProxyInvalidConfiguration: return .uriPath
        case .xksProxyIncorrectAuthenticationCredential: return .accessKeyId
        case .xksProxyVpcEndpointServiceNotFound, .xksProxyVpcEndpointServiceInvalidConfiguration, .xksProxyVpcEndpointServiceInUse:
            return .vpcServiceName
        case .xksKeyNotFound, .xksKeyInvalidConfiguration, .xksKeyAlreadyInUse: return .xksKeyId
        default: break
        }
        let named: [(String, FormState.FieldID)] = [
            ("rawsecretaccesskey", .secretAccessKey), ("accesskeyid", .accessKeyId),
            ("xksproxyvpcendpointserviceowner", .vpcServiceOwner), ("xksproxyvpcendpointservicename", .vpcServiceName),
            ("xksproxyuriendpoint", .uriEndpoint), ("xksproxyuripath", .uriPath), ("xksproxyconnectivity", .connectivity),
            ("xkskeyid", .xksKeyId), ("description", .keyDescription),
        ]
        return named.first { message.contains($0.0) }?.1
    }
}
