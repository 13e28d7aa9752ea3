import CKSTestSupport
import Foundation

/// The console under abuse: random keys and random window sizes (down to 1x1) in tmux. It must never end on
/// its own, must quit when asked, and must leave the terminal as it found it (the same `stty` settings, the
/// main screen, a visible cursor).
public struct ConsoleAbuse: Sendable {
    /// Keys pressed at random: movement, menus, forms, filters, overlays, typing. Not `q`, `:` or Ctrl-C, which
    /// would end the console early and send the rest to the shell.
    static let keys = ["j", "k", "h", "l", "g", "G", "Up", "Down", "Left", "Right", "PageUp", "PageDown", "Home", "End", "Enter",
                       "Escape", "Tab", "BTab", "BSpace", "a", "c", "D", "e", "n", "X", "y", "r", "R", "s", "S", "f", "/", "?",
                       "C-l", "C-d", "C-u", "C-f", "C-b", "Space", "x", "1", "-", "é", "中", "F1", "F5", "DC", "IC"]

    public var cks: URL
    public var seed: UInt64 = 1
    public var seconds = 60.0
    public var resizes = 100

    public init(cks: URL) {
        self.cks = cks
    }

    /// What a run did and found.
    public struct Outcome: Sendable {
        public var keys: Int
        public var resizes: Int
        public var problems: [String]

        public var summary: String {
            "cks-chaos console: \(keys) random keys and \(resizes) resizes (down to 1x1): \(problems.count) problems"
        }
    }

    public func run() throws -> Outcome {
        guard TmuxServer.tmux != nil else { throw HarnessError("tmux is not installed") }
        let home = FileManager.default.temporaryDirectory.appending(path: "cks-console-abuse-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let world = ChaosWorld(cks: cks, home: home)
        guard let seeded = try world.run(["list"]), seeded.exit.isSuccess else { throw HarnessError("cks list could not seed the world") }

        let files = ["stty-before", "stderr", "status", "stty-after"].map { home.appending(path: $0).path }
        let environment = world.environment().filter { ["CKS_HOME", "CKS_PACE", "LC_ALL", "TERM", "PATH", "HOME"].contains($0.key) }
        // Each file appears whole (written aside, then renamed), so a reader never sees it half-written.
        let script = #"stty -g > "$1.part"; mv "$1.part" "$1"; "$0" 2>"$2"; echo $? > "$3.part"; mv "$3.part" "$3"; stty -g > "$4.part"; mv "$4.part" "$4"; exec sleep 600"#
        let command = "exec env " + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(ConsoleSupervisor.quoted($0.value))" }.joined(separator: " ")
            + " /bin/sh -c " + ConsoleSupervisor.quoted(script) + " " + ([cks.path] + files).map(ConsoleSupervisor.quoted).joined(separator: " ")
        let tmux = try SyncTmux(socket: "cks-console-abuse-\(getpid())-\(seed)", session: "abuse", command: command, width: 120, height: 36)
        defer { tmux.kill() }
        var problems: [String] = []
        let status = files[2]
        func ended() -> String? { try? String(contentsOfFile: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) }
        func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if condition() { return true }
                usleep(20_000)
            }
            return condition()
        }
        guard waitFor(60, { tmux.screen().contains("custom key stores") }) else {
            throw HarnessError("the console did not show its first screen within 60 s: \(tmux.screen())")
        }

        var generator = SeededGenerator(seed: seed)
        let deadline = Date().addingTimeInterval(seconds)
        var keys = 0
        var resized = 0
        var tiny = 0
        while Date() < deadline && problems.isEmpty {
            let left = deadline.timeIntervalSinceNow
            // Resizes spread evenly over the time; keys fill the rest.
            let resizeDue = Double(resizes - resized) > 0 && Double.random(in: 0..<1, using: &generator) < Double(resizes - resized) / max(1, left * 30)
            if resizeDue {
                let (width, height) = tiny < 5 && Bool.random(using: &generator)
                    ? (1, 1) : (Int.random(in: 1...160, using: &generator), Int.random(in: 1...50, using: &generator))
                if width == 1 && height == 1 { tiny += 1 }
                tmux.resize(width: width, height: height)
                resized += 1
            } else {
                tmux.send([Self.keys.randomElement(using: &generator)!])
                keys += 1
            }
            if let code = ended() {
                problems.append("the console ended during the abuse (exit status \(code)): \(Self.tail(files[1]))")
            }
            usleep(UInt32.random(in: 5_000...40_000, using: &generator))
        }
        while resized < resizes && problems.isEmpty {
            tmux.resize(width: resized.isMultiple(of: 2) ? 1 : 80, height: resized.isMultiple(of: 2) ? 1 : 24)
            resized += 1
        }
        guard problems.isEmpty else { return Outcome(keys: keys, resizes: resized, problems: problems) }

        // Quit: back to a normal size, leave whatever is open, `q`; Ctrl-C (quit at once) if that did not do it.
        tmux.resize(width: 120, height: 36)
        if !waitFor(30, { tmux.screen().contains("custom key stores") || tmux.screen().contains("Custom key stores") || ended() != nil }) {
            problems.append("the console did not redraw at 120x36 within 30 s: \(tmux.screen().prefix(400))")
        }
        for key in ["Escape", "Escape", "Escape", "q"] {
            tmux.send([key])
            usleep(100_000)
        }
        if !waitFor(10, { ended() != nil }) {
            tmux.send(["C-c"])
            if !waitFor(20, { ended() != nil }) { problems.append("the console did not quit on q nor on Ctrl-C: \(tmux.screen().prefix(400))") }
        }
        if let code = ended(), code != "0" { problems.append("the console exited with status \(code): \(Self.tail(files[1]))") }
        _ = waitFor(10) { FileManager.default.fileExists(atPath: files[3]) }
        let before = (try? String(contentsOfFile: files[0], encoding: .utf8)) ?? "?"
        let after = (try? String(contentsOfFile: files[3], encoding: .utf8)) ?? "none"
        if before != after { problems.append("the terminal settings changed: stty -g was \(before) and is \(after)") }
        let flags = (try? tmux.run(["display", "-p", "-t", "abuse", "#{alternate_on} #{cursor_flag}"]))?.trimmingCharacters(in: .whitespacesAndNewlines)
        if flags != "0 1" { problems.append("the terminal was left on the alternate screen or with the cursor hidden (alternate_on cursor_flag: \(flags ?? "?"))") }
        return Outcome(keys: keys, resizes: resized, problems: problems)
    }

    private static func tail(_ file: String) -> String {
        ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").suffix(3).joined(separator: " / ")
    }
}
