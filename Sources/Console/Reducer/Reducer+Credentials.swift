import KeyStoreEngine

/// The backend's credentials: their status for the header, and the one-time codes it asks for (an MFA device's,
/// when a role with `mfa_serial` is assumed at start or again when its session ends).
extension Reducer {
    static func credentialStatusChanged(_ status: CredentialStatus, _ state: inout AppState) -> [Effect] {
        state.credentialStatus = status
        if case let .valid(accountId?) = status, state.backend.accountId.isEmpty { state.backend.accountId = accountId }
        return []
    }

    static func codeRequested(id: Int, _ request: CodeRequest, _ state: inout AppState) -> [Effect] {
        guard !state.codeRequests.contains(where: { $0.id == id }) else { return [] }
        state.codeRequests.append(CodeEntry(id: id, request: request))
        return []
    }

    /// Keys typed into the code prompt, which sits over every dialog: digits, Backspace, Ctrl-U, Enter sends the
    /// code, Esc sends none (the request that needed it fails, and the next one asks again).
    static func handleCodeKey(_ key: Key, _ entry: CodeEntry, _ state: inout AppState) -> [Effect] {
        var entry = entry
        if let character = key.printable {
            guard character.isASCII, character.isNumber, entry.typed.count < CodeEntry.length else {
                state.status = .init(text: "An MFA code is \(CodeEntry.length) digits, from the device \(entry.request.serial).", kind: .info)
                return []
            }
            entry.typed.append(character)
            state.codeRequests[0] = entry
            return []
        }
        switch (key, KeyBindings.command(for: key, in: [.dialog])) {
        case (.backspace, _):
            if !entry.typed.isEmpty { entry.typed.removeLast() }
        case (.control("u"), _):
            entry.typed = ""
        case (_, .select?):
            guard entry.typed.count == CodeEntry.length else {
                state.status = .init(text: "Type all \(CodeEntry.length) digits of the code, then Enter.", kind: .error)
                return []
            }
            state.codeRequests.removeFirst()
            state.status = .init(text: "Code sent; assuming the role\(state.glyphs.ellipsis)", kind: .info)
            return [.answerCode(id: entry.id, code: entry.typed)]
        case (_, .cancel?):
            state.codeRequests.removeFirst()
            state.status = .init(text: "No MFA code given; the next request asks again (r reloads now).", kind: .info)
            return [.answerCode(id: entry.id, code: nil)]
        default:
            return []
        }
        state.codeRequests[0] = entry
        return []
    }
}
