/// Where each part of the screen goes for a state and a size. The reducer uses it to keep the selection
/// in view; the view uses it to draw.
struct Layout {
    static let minimumSize = Size(width: 60, height: 14)
    /// The event log opens by itself on terminals at least this tall.
    static let logDefaultMinimumHeight = 30
    static let headerHeight = 3
    static let maximumTrayRows = 4

    let header: Rect
    let body: Rect
    let tray: Rect?
    let log: Rect?
    let footer: Rect

    init(_ state: AppState) {
        let size = state.size
        header = Rect(x: 0, y: 0, width: size.width, height: Self.headerHeight)
        footer = Rect(x: 0, y: size.height - 1, width: size.width, height: 1)
        var bottom = footer.y

        if state.log.visible {
            let height = Self.logHeight(size)
            bottom -= height
            log = Rect(x: 0, y: bottom, width: size.width, height: height)
        } else {
            log = nil
        }

        let workflows = state.trayWorkflows.count
        if workflows > 0 {
            let height = 1 + min(workflows, Self.maximumTrayRows)
            bottom -= height
            tray = Rect(x: 0, y: bottom, width: size.width, height: height)
        } else {
            tray = nil
        }

        body = Rect(x: 0, y: header.maxY, width: size.width, height: bottom - header.maxY)
    }

    /// The rows of the event log pane (its rule included) at a size.
    static func logHeight(_ size: Size) -> Int {
        min(12, max(5, (size.height - headerHeight - 1) / 3))
    }

    /// True when the event log opens by itself: on tall terminals, and on shorter ones when every store of
    /// the table still fits above it (7 stores at 80×24 leave it six rows).
    static func opensLog(_ state: AppState) -> Bool {
        let size = state.size
        if size.height >= logDefaultMinimumHeight { return true }
        guard case .loaded = state.storesStatus else { return false }
        let tray = state.trayWorkflows.isEmpty ? 0 : 1 + min(state.trayWorkflows.count, maximumTrayRows)
        let table = 2 + max(1, state.table.order.count)
        return size.height - headerHeight - 1 - tray - logHeight(size) >= table
    }

    /// Rows of stores visible in the table (the body less its tabs and its column headings).
    var tableRows: Int { max(1, body.height - 2) }

    static func fits(_ size: Size) -> Bool {
        size.width >= minimumSize.width && size.height >= minimumSize.height
    }
}
