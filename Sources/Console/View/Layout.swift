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
            let height = min(12, max(5, (size.height - Self.headerHeight - 1) / 3))
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

    /// Rows of stores visible in the table (the body less its column headings).
    var tableRows: Int { max(1, body.height - 1) }

    static func fits(_ size: Size) -> Bool {
        size.width >= minimumSize.width && size.height >= minimumSize.height
    }
}
