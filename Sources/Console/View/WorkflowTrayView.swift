import KeyStoreEngine

/// The running connects and disconnects, one line each, under the table: browsing goes on above.
enum WorkflowTrayView {
    static func draw(_ state: AppState, _ rect: Rect, into frame: inout Frame) {
        let glyphs = state.glyphs
        let workflows = state.trayWorkflows
        let running = workflows.filter(\.isRunning).count
        let title = running > 0 ? "Running \(glyphs.dot) \(running)" : "Finished"
        frame.rule(y: rect.y, x: 0, width: rect.width, title: StyledLine(title, .sectionTitle), glyphs: glyphs)
        let rows = rect.height - 1
        let shown = workflows.count > rows ? Array(workflows.prefix(rows - 1)) : workflows
        for (index, workflow) in shown.enumerated() {
            frame.put(line(workflow, state, width: rect.width - 2), x: 1, y: rect.y + 1 + index, limit: rect.maxX - 1)
        }
        if workflows.count > rows {
            frame.put("+ \(workflows.count - shown.count) earlier", x: 3, y: rect.maxY - 1, style: Style(.dim))
        }
    }

    /// `⠹ Connect     prod-payments   ✓✓✓·  Create network interface in us-east-1b…     7s of up to 20m`;
    /// without steps (AWS), a bar of the documented duration instead of the step.
    static func line(_ workflow: WorkflowProgress, _ state: AppState, width: Int) -> StyledLine {
        let glyphs = state.glyphs
        let name = state.stores[workflow.storeId]?.name ?? workflow.storeId
        let progress = state.transition(of: workflow)
        let overdue = workflow.isRunning && progress.isOverdue(at: state.now)
        var line = StyledLine()
        let verb = workflow.kind == .connect ? "Connect" : "Disconnect"
        if workflow.isRunning {
            let role: StyleRole = workflow.kind == .connect ? .connecting : .disconnecting
            line.append(glyphs.spinnerFrame(at: state.now.timeIntervalSinceReferenceDate) + " ", role)
            line.append(TextWidth.fit(verb, to: 11), role)
        } else if workflow.succeeded {
            line.append(glyphs.check + " ", .good)
            line.append(TextWidth.fit(verb, to: 11), .good)
        } else {
            let role: StyleRole = workflow.outcome.map { if case .failed = $0 { .bad } else { .warning } } ?? .warning
            line.append(glyphs.cross + " ", role)
            line.append(TextWidth.fit(verb, to: 11), role)
        }
        line.append(TextWidth.fit(name, to: 20, ellipsis: glyphs.ellipsis) + "  ", .strong)
        if workflow.isRunning, workflow.steps.isEmpty, let bar = TransitionText.bar(progress, now: state.now, width: 10, glyphs: glyphs) {
            line = line + bar + StyledLine("  ")
        } else {
            line.append(pips(workflow, glyphs) + "  ", .dim)
        }

        var detail = StyledLine()
        if let other = workflow.interruptedBy {
            detail.append("interrupted by a \(other == .connect ? "connect" : "disconnect")", .warning)
        } else if let outcome = workflow.outcome {
            switch outcome {
            case let .failed(code):
                detail.append("FAILED" + (code.map { "  \($0.rawValue)" } ?? ""), .failed)
                detail.append("  Enter on the store shows the fix", .dim)
            case .connected, .disconnected:
                detail.append(outcome.state.rawValue, Badge.role(outcome.state))
                if !workflow.succeeded { detail.append("  the \(verb.lowercased()) did not happen", .warning) }
            }
        } else if overdue {
            detail.append("\(glyphs.warning) overdue: Enter says what to check", .warning)
        } else {
            detail.append(currentText(workflow, state), .normal)
            if workflow.origin == .elsewhere { detail.append("  (started elsewhere)", .dim) }
        }
        let clock = workflow.isRunning
            ? TransitionText.clock(progress, now: state.now, glyphs: glyphs)
            : StyledLine(ElapsedTime.text((workflow.finishedAt ?? state.now).timeIntervalSince(workflow.startedAt)), .dim)
        let room = width - line.width - clock.width - 2
        line = line + detail.truncated(to: max(0, room), ellipsis: glyphs.ellipsis)
        let padding = max(1, width - line.width - clock.width)
        return line + StyledLine(String(repeating: " ", count: padding)) + clock
    }

    /// One mark per step: done, running, failed.
    static func pips(_ workflow: WorkflowProgress, _ glyphs: Glyphs) -> String {
        workflow.steps.map { step in
            switch step.status {
            case .done: glyphs.check
            case .running: glyphs.pending
            case .failed: glyphs.cross
            }
        }.joined()
    }

    /// What the workflow is doing now: the running step with its subject, or the last one done.
    static func currentText(_ workflow: WorkflowProgress, _ state: AppState) -> String {
        let glyphs = state.glyphs
        if let step = workflow.currentStep {
            return glyphs.plain(step.step.title + (step.subject.map { " " + $0 } ?? "") + "…")
        }
        if let step = workflow.steps.last {
            return glyphs.plain(step.step.title + ": done" + (step.resource.map { " — " + $0.summary } ?? ""))
        }
        if state.isRealKMS { return workflow.transientState.rawValue + ", as KMS reports it" }
        return "Requested; waiting for the first step"
    }
}
