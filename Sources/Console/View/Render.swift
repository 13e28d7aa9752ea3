/// Draws the whole screen for a state: pure, so tests compare its frames as text.
public func render(_ state: AppState, size: Size) -> Frame {
    var state = state
    state.size = size
    var frame = Frame(width: size.width, height: size.height)
    frame.ellipsis = state.glyphs.ellipsis
    guard Layout.fits(size) else {
        TooSmallView.draw(state, into: &frame)
        return frame
    }
    let layout = Layout(state)
    HeaderView.draw(state, layout.header, into: &frame)
    switch state.screen {
    case .list: StoreTableView.draw(state, layout.body, into: &frame)
    case let .detail(id): DetailView.draw(state, storeId: id, layout.body, into: &frame)
    }
    if let tray = layout.tray { WorkflowTrayView.draw(state, tray, into: &frame) }
    if let log = layout.log { EventLogView.draw(state, log, into: &frame) }
    FooterView.draw(state, layout.footer, into: &frame)
    if let modal = state.modal {
        frame.cursor = nil
        ModalView.draw(modal, state, frame.bounds.inset(dx: 0, dy: 0), into: &frame)
    }
    if let entry = state.codeRequests.first {
        frame.cursor = nil
        CodePromptView.draw(entry, state, frame.bounds, into: &frame)
    }
    return frame
}

/// The message shown instead of the console when the terminal is too small for it.
enum TooSmallView {
    static func draw(_ state: AppState, into frame: inout Frame) {
        let minimum = Layout.minimumSize
        let times = state.glyphs.isASCII ? "x" : "×"
        let lines = [
            StyledLine("cks needs at least \(minimum.width)\(times)\(minimum.height)", .title),
            StyledLine("This terminal is \(state.size.width)\(times)\(state.size.height).", .normal),
            StyledLine("Enlarge it, or press q to quit.", .dim),
        ]
        let top = max(0, (state.size.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let cut = line.truncated(to: state.size.width, ellipsis: state.glyphs.ellipsis)
            frame.put(cut, x: max(0, (state.size.width - cut.width) / 2), y: top + index)
        }
    }
}
