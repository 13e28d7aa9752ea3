import KeyStoreEngine

/// A ConnectionErrorCode explained from the troubleshooting catalogue: its title, what it means, the likely
/// cause and the fix in steps with the store's real IDs. `cks connect --wait` prints it when a store ends FAILED,
/// `cks describe` for a FAILED store.
enum FixText {
    /// The lines, or none when the catalogue has no entry for the code.
    static func lines(_ code: ConnectionErrorCode, store: CustomKeyStore, context: RepairContext, style: TextStyle) -> [String] {
        guard let entry = TroubleshootingCatalogue.standard.entry(for: code, storeType: store.type) else { return [] }
        var lines = [style.bold(entry.title), "What it means: \(entry.meaning)", "Likely cause:  \(entry.likelyCause)", style.bold("How to fix it:")]
        for (index, text) in entry.fixSteps(for: context).enumerated() {
            lines.append("  \(index + 1). \(text)")
        }
        return lines
    }

    /// What the fix's placeholders become: the simulator knows every value, other backends the store's IDs.
    static func context(of store: CustomKeyStore, on service: (any KeyStoreService)?) async -> RepairContext {
        if let simulated = service as? any SimulatedRepairs, let context = try? await simulated.repairContext(forKeyStore: store.id) {
            return context
        }
        return RepairContext(store: store)
    }
}
