import KeyStoreEngine

/// A store's fix as the repair walks it: the catalogue's steps with the real IDs, which of them each stage of the
/// repair carries out, and what its dialogs say. The dialogs number the stages as the person walks them ("step 2
/// of 3"); the catalogue's steps keep their own numbers in the detail's fix ("step 3 of the fix").
struct RepairGuide {
    let store: CustomKeyStore
    let repair: AppState.Repair?
    let entry: TroubleshootingEntry?
    let steps: [String]
    let path: RepairPath
    let context: RepairContext
    /// Whether the service applies simulated fixes (for a repair not started yet).
    let simulated: Bool
    /// The simulator action of the fix stage: the repair's, else the simulator's answer for an external key store's
    /// code, else the catalogue's.
    let simulatorAction: SimulatedRepairAction?

    init(store: CustomKeyStore, repair: AppState.Repair?, context: RepairContext?, xksAction: XKSRepairAction? = nil,
         simulated: Bool = false) {
        self.store = store
        self.repair = repair
        self.simulated = repair?.simulated ?? simulated
        let code = store.connectionErrorCode ?? repair?.code
        entry = code.flatMap { TroubleshootingCatalogue.standard.entry(for: $0, storeType: store.type) }
        let context = context ?? RepairContext(store: store)
        self.context = context
        steps = entry?.fixSteps(for: context) ?? []
        let path = repair?.path ?? entry?.repair ?? RepairPath(kind: .fixOutsideKMS)
        self.path = path
        if let repair {
            simulatorAction = repair.simulatorAction
        } else if let xksAction, xksAction.code == code {
            simulatorAction = xksAction.action
        } else {
            simulatorAction = path.simulatorAction
        }
    }

    /// The guide of a store as the console knows it now.
    init(store: CustomKeyStore, state: AppState) {
        self.init(store: store, repair: state.repairs[store.id], context: Reducer.repairContext(store.id, state),
                  xksAction: state.xksRepairActions[store.id], simulated: state.simulatedRepairs)
    }

    /// The index in `steps` of the catalogue's step a stage carries out.
    func stepIndex(of stage: AppState.Repair.Stage) -> Int? {
        guard !steps.isEmpty else { return nil }
        switch stage {
        case .disconnect: return 0
        case .fix:
            let command = simulatorAction.map { "`cks sim \($0.rawValue)" }
            if let command, let index = steps.firstIndex(where: { $0.contains(command) }) { return index }
            // The first step between the disconnect and the connect that is not the store's edit.
            let edit = stepIndex(of: .edit)
            return steps.indices.dropFirst().dropLast().first { $0 != edit }
        case .edit:
            return steps.firstIndex { $0.contains("`cks update") } ?? steps.firstIndex { $0.contains("update-custom-key-store") }
        case .connect: return steps.count - 1
        }
    }

    /// "step 2 of 3": a stage's place among the stages of the repair, in the order the person walks them.
    func stepLabel(_ stage: AppState.Repair.Stage) -> String {
        let stages = stages
        return stages.firstIndex(of: stage).map { "step \($0 + 1) of \(stages.count)" } ?? "repair"
    }

    /// "Repair of USER_LOCKED_OUT, step 2 of 3: ", the head of each dialog of the repair.
    func dialogLead(_ stage: AppState.Repair.Stage) -> String {
        "Repair of \(codeText), \(stepLabel(stage)): "
    }

    /// "step 3 of the fix": a catalogue step, as the detail numbers it.
    private func fixStepName(_ index: Int) -> String { "step \(index + 1) of the fix" }

    /// Where the cause of a failure is fixed, outside KMS.
    var place: String { store.type == .externalKeyStore ? "at the proxy" : "in the cluster" }

    /// The stage names the detail's repair line shows.
    func title(of stage: AppState.Repair.Stage, simulated: Bool) -> String {
        switch stage {
        case .disconnect: "disconnect"
        case .fix: simulated ? "simulated fix (\(simulatorAction?.rawValue ?? "-"))" : "fix \(place)"
        case .edit: "edit \(path.storeField?.title ?? "settings")"
        case .connect: "connect"
        }
    }

    /// The stages of the repair, or of the one `f` would start.
    var stages: [AppState.Repair.Stage] {
        repair?.stages ?? AppState.Repair(stage: .disconnect, code: nil, path: path, simulated: simulated, simulatorAction: simulatorAction).stages
    }

    var codeText: String { (store.connectionErrorCode ?? repair?.code)?.rawValue ?? "the failure" }

    /// The Edit form's line: which step it is, and where the value comes from.
    func editNotice(prefilled: Bool) -> String {
        var text = dialogLead(.edit)
        if let index = stepIndex(of: .edit) {
            text += Self.firstSentence(steps[index])
        } else {
            text += "change the \(path.storeField?.title ?? "setting") the fix names."
        }
        if prefilled {
            text += store.type == .externalKeyStore
                ? " Filled in below: what the simulated proxy serves. Save to tell KMS."
                : " The simulated fix set the value filled in below: save to tell KMS."
        } else if repair?.applied == nil, simulatorAction != nil, let index = stepIndex(of: .fix), index != stepIndex(of: .edit) {
            text += " First do \(fixStepName(index)) \(place) (in the detail)."
        } else if store.type == .externalKeyStore {
            text += " Save with nothing changed when the value is right: the repair goes on to the connect."
        }
        return text
    }

    /// What the last dialog says before connecting.
    var connectNotice: String {
        let lead = dialogLead(.connect)
        if repair?.applied != nil {
            if path.kind == .editStore, !stages.contains(.edit) {
                let field = path.storeField?.title ?? "settings"
                return lead + "The simulated fix is applied and the store's \(field) needs no change: connect \(store.name) again."
            }
            return lead + "The simulated fix is applied: connect \(store.name) again."
        }
        switch path.kind {
        case .retry:
            return lead + "Nothing needs changing: connect \(store.name) again."
        case .fixOutsideKMS:
            let outside = stepIndex(of: .fix).map(fixStepName) ?? "the steps of the fix"
            return lead + "Nothing to change in KMS: fix it \(place) (\(outside), above), then connect \(store.name) again."
        case .editStore:
            return lead + "Connect \(store.name) again, once the cause is fixed."
        }
    }

    /// The first sentence of a step, up to its command.
    static func firstSentence(_ step: String) -> String {
        let ends = [step.range(of: ". ")?.lowerBound, step.range(of: " (real AWS")?.lowerBound].compactMap { $0 }
        guard let end = ends.min() else { return step }
        return String(step[..<end]) + "."
    }
}
