import KeyStoreEngine

extension Reducer {
    static func handleFormKey(_ key: Key, _ form: FormState, _ state: inout AppState) -> [Effect] {
        var form = form
        defer { if case .form = state.modal { state.modal = .form(form) } }
        guard !form.submitting else {
            if KeyBindings.command(for: key, in: [.form]) == .cancel { state.modal = nil }
            return []
        }
        let onField = form.focus < form.fields.count
        if let character = key.printable, onField, form.fields[form.focus].disabledReason == nil {
            if form.fields[form.focus].isChoice {
                if character == " " { cycleSuggestion(&form, by: 1, clusters: state.clusters) }
                return []
            }
            form.fields[form.focus].value.append(character)
            return []
        }
        // Leaving the proxy configuration file's field reads the file into the path and credential fields.
        let leavesFile = onField && form.fields[form.focus].id == .proxyConfigurationFile && Forms.hasUnreadProxyConfigurationFile(form)
        let readFile: [Effect] = leavesFile ? [.readProxyConfiguration(path: form.value(.proxyConfigurationFile), thenSubmit: false)] : []
        switch KeyBindings.command(for: key, in: [.form]) {
        case .toggleSecret?:
            form.revealsSecrets.toggle()
        case .nextItem?:
            moveFocus(&form, by: 1)
            return readFile
        case .previousItem?:
            moveFocus(&form, by: -1)
            return readFile
        case .nextButton?, .previousButton?:
            let step = KeyBindings.command(for: key, in: [.form]) == .nextButton ? 1 : -1
            if onField {
                cycleSuggestion(&form, by: step, clusters: state.clusters)
            } else {
                form.focus = form.focus == form.cancelIndex ? form.submitIndex : form.cancelIndex
            }
        case .deleteBackward?:
            if onField, form.fields[form.focus].disabledReason == nil, !form.fields[form.focus].value.isEmpty {
                form.fields[form.focus].value.removeLast()
            }
        case .clearField?:
            if onField, form.fields[form.focus].disabledReason == nil { form.fields[form.focus].value = "" }
        case .select?:
            if form.focus == form.cancelIndex {
                state.modal = nil
                return []
            }
            if form.focus == form.submitIndex { return submit(&form, &state) }
            let lastEnabled = form.fields.lastIndex { $0.disabledReason == nil }
            if form.focus == lastEnabled { form.focus = form.submitIndex } else { moveFocus(&form, by: 1) }
            return readFile
        case .submit?:
            return submit(&form, &state)
        case .cancel?:
            state.modal = nil
        default:
            break
        }
        return []
    }

    private static func moveFocus(_ form: inout FormState, by step: Int) {
        let count = form.fields.count + 2
        var focus = form.focus
        for _ in 0..<count {
            focus = (focus + step + count) % count
            if focus >= form.fields.count || form.fields[focus].disabledReason == nil { break }
        }
        form.focus = focus
    }

    private static func cycleSuggestion(_ form: inout FormState, by step: Int, clusters: [String: CloudHSMCluster]) {
        let field = form.fields[form.focus]
        guard field.disabledReason == nil, !field.suggestions.isEmpty else { return }
        let index = field.suggestions.firstIndex(of: field.value).map { $0 + step } ?? 0
        let wrapped = (index + field.suggestions.count) % field.suggestions.count
        form.fields[form.focus].value = field.suggestions[wrapped]
        if field.id == .connectivity { Forms.applyConnectivity(&form) }
        if field.id == .cluster, let anchor = form.fields.firstIndex(where: { $0.id == .trustAnchor }) {
            form.fields[anchor].placeholder = Forms.trustAnchorPlaceholder(clusters[field.suggestions[wrapped]])
        }
    }

    static func submit(_ form: inout FormState, _ state: inout AppState) -> [Effect] {
        form.error = nil
        form.errorField = nil
        form.problem = nil
        if Forms.hasUnreadProxyConfigurationFile(form) {
            // The file's values go in first; the form is sent once they are (or says what is wrong with the file).
            form.submitting = true
            return [.readProxyConfiguration(path: form.value(.proxyConfigurationFile), thenSubmit: true)]
        }
        switch form.kind {
        case .createExternal:
            let request = Forms.externalRequest(form)
            form.submitting = true
            state.pendingRequests.append(.create(name: request.name))
            logCommand(AWSCommandLine.create(request, backend: state.backend), store: nil, name: request.name, &state)
            return [.createKeyStore(request)]
        case let .createKey(storeId):
            let xksKeyId = form.field(.xksKeyId).map(\.value)
            if xksKeyId?.isEmpty == true {
                show(FormState.Problem(field: .xksKeyId, message: "Required: the ID of the external key in the proxy's key manager "
                    + "(for the local proxy, `cks xks-proxy list-keys` shows them)."), in: &form)
                return []
            }
            form.submitting = true
            let description = form.value(.keyDescription)
            logCommand(AWSCommandLine.createKey(storeId, description: description, xksKeyId: xksKeyId, backend: state.backend),
                       store: storeId, &state)
            return [.createKey(storeId: storeId, description: description, xksKeyId: xksKeyId)]
        case let .edit(storeId) where state.stores[storeId]?.type == .externalKeyStore:
            switch Forms.externalUpdate(form, storeId: storeId) {
            case let .failure(problem):
                show(problem, in: &form)
                return []
            case let .success(request?):
                form.submitting = true
                state.pendingRequests.append(.update(storeId: storeId))
                logCommand(AWSCommandLine.update(request, backend: state.backend), store: storeId, &state)
                return [.update(request)]
            case .success(nil):
                return nothingChanged(storeId, &form, &state)
            }
        case .create:
            let draft = Forms.draft(form)
            if let problem = Forms.missingTrustAnchor(draft, clusters: state.clusters) {
                show(problem, in: &form)
                return []
            }
            form.submitting = true
            state.pendingRequests.append(.create(name: draft.name))
            logCommand(AWSCommandLine.create(draft, backend: state.backend), store: nil, name: draft.name, &state)
            return [.create(draft)]
        case let .edit(storeId):
            guard let request = Forms.update(form, storeId: storeId) else { return nothingChanged(storeId, &form, &state) }
            form.submitting = true
            state.pendingRequests.append(.update(storeId: storeId))
            logCommand(AWSCommandLine.update(request, backend: state.backend), store: storeId, &state)
            return [.update(request)]
        }
    }

    /// Save with nothing changed: during a repair the cause was outside the store (kmsuser logged in, HSMs missing,
    /// the proxy down), so the repair goes on to the connect; otherwise the form says so.
    private static func nothingChanged(_ storeId: String, _ form: inout FormState, _ state: inout AppState) -> [Effect] {
        if state.repairs[storeId]?.stage == .edit {
            state.repairs[storeId]?.stage = .connect
            state.modal = .connectAfterRepair(storeId: storeId, focus: 1)
            return []
        }
        form.notice = "Nothing changed: edit a field, or Esc to close."
        return []
    }

    /// A proxy configuration file was read: its path and credential go into the form, or what is wrong with it
    /// goes under its field; a submit that waited for it goes on.
    static func proxyConfigurationRead(_ path: String, _ result: Result<ProxyConfigurationFile, FormState.Problem>, thenSubmit: Bool,
                                       _ state: inout AppState) -> [Effect] {
        guard case var .form(form) = state.modal, form.value(.proxyConfigurationFile) == path else { return [] }
        form.submitting = false
        switch result {
        case let .failure(problem):
            show(problem, in: &form)
            state.modal = .form(form)
            return []
        case let .success(file):
            Forms.fill(&form, from: file, path: path)
            state.modal = .form(form)
            guard thenSubmit else { return [] }
            let effects = submit(&form, &state)
            if case .form = state.modal { state.modal = .form(form) }
            return effects
        }
    }

    static func keyCreated(_ storeId: String, _ key: KMSKey, _ state: inout AppState) -> [Effect] {
        if case .form = state.modal { state.modal = nil }
        let name = state.stores[storeId]?.name ?? storeId
        let external = key.xksKeyId.map { " on external key \($0)" } ?? ""
        state.status = .init(text: "Created KMS key \(key.id) in \(name)\(external).", kind: .success)
        state.selectedKeyId = key.id
        return [.loadKeys(storeId: storeId)]
    }

    static func formFailed(_ error: KMSError, _ state: inout AppState) {
        logError(error, store: nil, &state)
        guard case var .form(form) = state.modal else {
            setError(error, doing: nil, &state)
            return
        }
        form.submitting = false
        form.error = error
        form.errorField = Forms.field(for: error).flatMap { form.index(of: $0) == nil ? nil : $0 }
        if let field = form.errorField, let index = form.fields.firstIndex(where: { $0.id == field && $0.disabledReason == nil }) {
            form.focus = index
        }
        state.modal = .form(form)
    }

    /// The form was not sent: say what is wrong under its field, and put the cursor there.
    static func formInvalid(_ problem: FormState.Problem, _ state: inout AppState) {
        state.log.append(LogEntry(time: state.now, kind: .error, storeName: nil, text: "Not sent: " + problem.message, copyText: nil))
        guard case var .form(form) = state.modal else {
            state.status = .init(text: problem.message, kind: .error)
            return
        }
        form.submitting = false
        show(problem, in: &form)
        state.modal = .form(form)
    }

    private static func show(_ problem: FormState.Problem, in form: inout FormState) {
        form.problem = problem
        if let index = form.fields.firstIndex(where: { $0.id == problem.field && $0.disabledReason == nil }) { form.focus = index }
    }

    static func created(_ id: String, _ name: String, _ state: inout AppState) -> [Effect] {
        if case .form = state.modal { state.modal = nil }
        state.table.selectedId = id
        state.status = .init(text: "Created \(name) (\(id)). New stores start DISCONNECTED: press c to connect it.", kind: .success)
        return [.loadStore(id: id)]
    }

    static func updated(_ id: String, newName: String?, _ state: inout AppState) -> [Effect] {
        if case .form = state.modal { state.modal = nil }
        let name = newName ?? state.stores[id]?.name ?? id
        if state.repairs[id]?.stage == .edit {
            state.repairs[id]?.stage = .connect
            state.modal = .connectAfterRepair(storeId: id, focus: 1)
        } else {
            state.status = .init(text: "Saved \(name).", kind: .success)
        }
        return [.loadStore(id: id)]
    }

    /// New clusters arrived while a form is open: refresh its suggestions.
    static func refreshFormSuggestions(_ state: inout AppState) {
        guard case var .form(form) = state.modal, let index = form.fields.firstIndex(where: { $0.id == .cluster }) else { return }
        switch form.kind {
        case .create:
            form.fields[index].suggestions = Forms.freeClusters(state.clusters, state.stores)
            if form.fields[index].value.isEmpty, let first = form.fields[index].suggestions.first {
                form.fields[index].value = first
            }
            if let anchor = form.fields.firstIndex(where: { $0.id == .trustAnchor }) {
                form.fields[anchor].placeholder = Forms.trustAnchorPlaceholder(state.clusters[form.fields[index].value])
            }
            if let password = form.fields.firstIndex(where: { $0.id == .password }) {
                form.fields[password].placeholder = Forms.passwordPlaceholder(state.clusters)
            }
        case let .edit(storeId):
            form.fields[index].suggestions = Forms.relatedClusters(form.fields[index].original, of: storeId, state.clusters,
                                                                   stores: state.stores)
        case .createExternal, .createKey:
            break
        }
        state.modal = .form(form)
    }
}
