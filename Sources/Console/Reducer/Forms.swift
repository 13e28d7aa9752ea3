import KeyStoreEngine

/// Builds the Create and Edit forms and reads requests out of them.
enum Forms {
    static func create(clusters: [String: CloudHSMCluster], stores: [String: CustomKeyStore]) -> FormState {
        let suggestions = freeClusters(clusters, stores)
        return FormState(kind: .create, fields: [
            .init(id: .name, label: "Name", value: "", placeholder: "a name unique in the Region"),
            .init(id: .cluster, label: "CloudHSM cluster", value: suggestions.first ?? "",
                  placeholder: "cluster-…", suggestions: suggestions),
            .init(id: .trustAnchor, label: "Trust anchor file", value: "",
                  placeholder: trustAnchorPlaceholder(clusters[suggestions.first ?? ""])),
            .init(id: .password, label: "kmsuser password", value: "", placeholder: passwordPlaceholder(clusters), isSecret: true),
        ])
    }

    static func edit(_ store: CustomKeyStore, renameReason: String?, settingsReason: String?,
                     clusters: [String: CloudHSMCluster], stores: [String: CustomKeyStore] = [:], notice: String?,
                     focusOn: FormState.FieldID?, prefill: [FormState.FieldID: String] = [:]) -> FormState {
        let cluster = store.cloudHsmClusterId ?? ""
        var form = FormState(kind: .edit(storeId: store.id), fields: [
            .init(id: .name, label: "Name", value: store.name, placeholder: "", disabledReason: renameReason, original: store.name),
            .init(id: .cluster, label: "CloudHSM cluster", value: cluster, placeholder: "cluster-…",
                  disabledReason: settingsReason, suggestions: relatedClusters(cluster, of: store.id, clusters, stores: stores),
                  original: cluster),
            .init(id: .password, label: "kmsuser password", value: "", placeholder: "unchanged when empty",
                  isSecret: true, disabledReason: settingsReason),
        ])
        form.notice = notice
        for (id, value) in prefill {
            if let index = form.fields.firstIndex(where: { $0.id == id && $0.disabledReason == nil }) { form.fields[index].value = value }
        }
        let wanted = focusOn.flatMap { id in form.fields.firstIndex { $0.id == id && $0.disabledReason == nil } }
        form.focus = wanted ?? form.fields.firstIndex { $0.disabledReason == nil } ?? form.cancelIndex
        return form
    }

    /// ACTIVE clusters no store uses yet: the ones a new store can take.
    static func freeClusters(_ clusters: [String: CloudHSMCluster], _ stores: [String: CustomKeyStore]) -> [String] {
        let used = Set(stores.values.compactMap(\.cloudHsmClusterId))
        return clusters.values.filter { $0.state == .active && !used.contains($0.id) }.map(\.id).sorted()
    }

    /// The store's cluster first, then the clusters it can move to, for ←/→ in the Edit form: ACTIVE, used by no
    /// other store, and related to the store's cluster (same trust anchor, when both are known).
    static func relatedClusters(_ current: String, of storeId: String, _ clusters: [String: CloudHSMCluster],
                                stores: [String: CustomKeyStore]) -> [String] {
        let used = Set(stores.values.filter { $0.id != storeId }.compactMap(\.cloudHsmClusterId))
        let anchor = clusters[current]?.trustAnchorCertificate
        let fitting = clusters.values.filter { cluster in
            guard cluster.id != current, cluster.state == .active, !used.contains(cluster.id) else { return false }
            guard let anchor, let other = cluster.trustAnchorCertificate else { return true }
            return other == anchor
        }
        let others = fitting.map(\.id).sorted()
        return current.isEmpty ? others : [current] + others
    }

    /// Where kmsuser's password comes from: the simulator's clusters say it (`cks sim clusters`).
    static func passwordPlaceholder(_ clusters: [String: CloudHSMCluster]) -> String {
        clusters.values.contains { $0.kmsUser != nil } ? "kmsuser's password: cks sim clusters shows it" : "7 to 32 characters"
    }

    static func trustAnchorPlaceholder(_ cluster: CloudHSMCluster?) -> String {
        cluster?.trustAnchorCertificate != nil ? "empty: the cluster's own customerCA.crt" : "path to customerCA.crt (required)"
    }

    /// An empty trust anchor file is fine only when the cluster's own certificate is known (the simulator's
    /// clusters); DescribeClusters on AWS does not return it.
    static func missingTrustAnchor(_ draft: CreateDraft, clusters: [String: CloudHSMCluster]) -> FormState.Problem? {
        guard draft.trustAnchorPath.isEmpty, !draft.cloudHsmClusterId.isEmpty else { return nil }
        let id = draft.cloudHsmClusterId
        guard let cluster = clusters[id] else {
            return FormState.Problem(field: .trustAnchor, message: "\(id) is not among the clusters this account can see, so its "
                + "trust anchor is not known. Check the cluster ID, and give the path to the customerCA.crt that was used to initialize it.")
        }
        guard cluster.trustAnchorCertificate == nil else { return nil }
        return FormState.Problem(field: .trustAnchor, message: "Required: DescribeClusters does not return a cluster's trust anchor. "
            + "Give the path to the customerCA.crt that was used to initialize \(id).")
    }

    /// The form field of a store setting a repair changes.
    static func field(for setting: StoreField) -> FormState.FieldID? {
        switch setting {
        case .password: .password
        case .clusterId: .cluster
        case .xksProxyUriPath: .uriPath
        case .xksProxyAuthenticationCredential: .accessKeyId
        case .xksProxyUriEndpoint: .uriEndpoint
        }
    }

    /// The field a KMS error is about, when its exception or message names one.
    static func field(for error: KMSError) -> FormState.FieldID? {
        if let field = externalField(for: error) { return field }
        let message = error.message.lowercased()
        if error.code == .customKeyStoreNameInUse || message.contains("customkeystorename") { return .name }
        if error.code == .incorrectTrustAnchor || message.contains("trustanchor") || error.code.rawValue.hasPrefix("TrustAnchor") {
            return .trustAnchor
        }
        if message.contains("keystorepassword") || message.contains("password") { return .password }
        if error.code.rawValue.hasPrefix("CloudHsmCluster") || message.contains("cloudhsmclusterid") { return .cluster }
        return nil
    }

    static func draft(_ form: FormState) -> CreateDraft {
        CreateDraft(name: form.value(.name), cloudHsmClusterId: form.value(.cluster),
                    trustAnchorPath: form.value(.trustAnchor), keyStorePassword: form.value(.password))
    }

    /// The UpdateCustomKeyStore request with only the fields that changed, or nil when nothing did.
    static func update(_ form: FormState, storeId: String) -> UpdateKeyStoreRequest? {
        var request = UpdateKeyStoreRequest(customKeyStoreId: storeId)
        if let name = form.field(.name), name.disabledReason == nil, name.value != name.original { request.newName = name.value }
        if let cluster = form.field(.cluster), cluster.disabledReason == nil, cluster.value != cluster.original {
            request.cloudHsmClusterId = cluster.value
        }
        if let password = form.field(.password), password.disabledReason == nil, !password.value.isEmpty {
            request.keyStorePassword = password.value
        }
        return request.newName == nil && request.cloudHsmClusterId == nil && request.keyStorePassword == nil ? nil : request
    }
}
