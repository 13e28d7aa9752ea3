import KeyStoreEngine

/// The connection state as a person reads it: a symbol, a word and a colour (never the colour alone).
enum Badge {
    static func role(_ state: ConnectionState) -> StyleRole {
        switch state {
        case .connected: .connected
        case .connecting: .connecting
        case .disconnected: .disconnected
        case .disconnecting: .disconnecting
        case .failed: .failed
        }
    }

    static func symbol(_ state: ConnectionState, glyphs: Glyphs, now: Double) -> String {
        switch state {
        case .connected: glyphs.connected
        case .connecting, .disconnecting: glyphs.spinnerFrame(at: now)
        case .disconnected: glyphs.disconnected
        case .failed: glyphs.failed
        }
    }

    /// `● CONNECTED`, `⠹ CONNECTING`, `✗ FAILED  USER_LOCKED_OUT`
    static func line(_ store: CustomKeyStore, glyphs: Glyphs, now: Double, withCode: Bool = true) -> StyledLine {
        let state = store.connectionState
        var line = StyledLine(symbol(state, glyphs: glyphs, now: now) + " " + state.rawValue, role(state))
        if withCode, state == .failed, let code = store.connectionErrorCode {
            line.append("  " + code.rawValue, .errorCode)
        }
        return line
    }
}
