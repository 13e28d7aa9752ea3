import KeyStoreEngine

/// The two tabs of the Custom key stores page over the table, as in the KMS console: "AWS CloudHSM key stores"
/// and "External key stores", each with how many stores it has and how many of them are FAILED.
enum TabStripView {
    /// Narrower, the word "failed" goes, then the tabs' names shorten to the store type.
    static func draw(_ state: AppState, y: Int, width: Int, into frame: inout Frame) {
        let lines = [line(state, failedWord: true, short: false), line(state, failedWord: false, short: false),
                     line(state, failedWord: false, short: true)]
        let fitting = lines.first { $0.width <= width - 2 } ?? lines[lines.count - 1]
        frame.put(fitting, x: 1, y: y, limit: width - 1)
    }

    static func line(_ state: AppState, failedWord: Bool, short: Bool) -> StyledLine {
        var line = StyledLine()
        for (type, table) in [(CustomKeyStoreType.awsCloudHSM, state.cloudHSMTable), (.externalKeyStore, state.externalTable)] {
            if !line.spans.isEmpty { line.append("  ") }
            let title = "\(short ? (type == .awsCloudHSM ? "CloudHSM" : "External") : title(of: type)) (\(table.measures.total))"
            line.append(state.tab == type ? "[ \(title) ]" : "  \(title)  ", state.tab == type ? .buttonFocused : .button)
            if table.measures.failed > 0 {
                line.append(" \(state.glyphs.failed) \(table.measures.failed)" + (failedWord ? " failed" : ""), .failed)
            }
        }
        return line
    }

    /// The tab's name on the KMS console's page.
    static func title(of type: CustomKeyStoreType) -> String {
        switch type {
        case .awsCloudHSM: "AWS CloudHSM key stores"
        case .externalKeyStore: "External key stores"
        }
    }
}
