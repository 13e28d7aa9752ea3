import Console
import Foundation

/// The console's figures: a frame rendered and diffed, an engine event to a new frame, and the real binary
/// in tmux (launch to first frame, CPU over 10 idle seconds, resident memory).
enum ConsoleFigures {
    static func run() throws {
        for count in [10, 1_000, 10_000] {
            Benchmarks.report("console: render + diff a frame, \(count) stores", ConsoleMeasurements.renderAndDiff(storeCount: count))
            Benchmarks.report("console: engine event → new frame, \(count) stores", ConsoleMeasurements.eventToFrame(storeCount: count))
        }
        try realBinaryInTmux()
    }

    /// Starts `cks` in a detached tmux pane, waits for its first frame, then watches it idle for 10 seconds.
    static func realBinaryInTmux() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "cks")
        guard FileManager.default.isExecutableFile(atPath: binary.path), shell(["tmux", "-V"]).status == 0 else {
            Benchmarks.say("console in tmux: skipped (needs tmux and the cks binary beside the benchmark)")
            return
        }
        let home = Benchmarks.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        _ = shell(["env", "CKS_HOME=\(home.path)", binary.path, "list"])
        let socket = "cks-bench-\(getpid())"
        defer { _ = shell(["tmux", "-L", socket, "kill-server"], capture: false) }
        let start = ContinuousClock.now
        _ = shell(["tmux", "-L", socket, "new-session", "-d", "-x", "130", "-y", "36",
                   "env CKS_HOME=\(home.path) TERM=xterm-256color LANG=C.UTF-8 \(binary.path)"], capture: false)
        var firstFrame: Duration?
        while ContinuousClock.now - start < .seconds(10) {
            if shell(["tmux", "-L", socket, "capture-pane", "-p"]).output.contains("CONNECTION STATE") {
                firstFrame = ContinuousClock.now - start
                break
            }
            usleep(2_000)
        }
        guard let firstFrame else {
            Benchmarks.say("console in tmux: no frame within 10 s")
            return
        }
        Benchmarks.say(Benchmarks.pad("console: launch → first frame (tmux, includes tmux start)")
              + String(format: "%10.1f ms", Benchmarks.milliseconds(firstFrame)))
        let pidText = shell(["tmux", "-L", socket, "list-panes", "-F", "#{pane_pid}"]).output
        guard let shellPid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
        let pid = childProcess(of: shellPid) ?? shellPid
        usleep(500_000)
        let before = cpuTicks(pid)
        sleep(10)
        let after = cpuTicks(pid)
        let ticks = Double(after - before)
        let percent = ticks / Double(sysconf(Int32(_SC_CLK_TCK))) / 10 * 100
        Benchmarks.say(Benchmarks.pad("console: CPU over 10 idle seconds") + String(format: "%10.2f %% (%d ticks)", percent, after - before))
        Benchmarks.say(Benchmarks.pad("console: resident memory") + String(format: "%10.1f MiB", residentMiB(pid)))
    }

    private static func childProcess(of pid: Int32) -> Int32? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Int32($0) }
    }

    private static func cpuTicks(_ pid: Int32) -> Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3, utime 14, stime 15 (1-based in proc(5)).
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return 0 }
        return user + system
    }

    private static func residentMiB(_ pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kib / 1024
    }

    /// Runs a command through /bin/sh (the arguments are quoted). `capture: false` sends its output to
    /// /dev/null, so a daemon it leaves behind (a tmux server) holds no pipe of ours open.
    private static func shell(_ arguments: [String], capture: Bool = true) -> (status: Int32, output: String) {
        let command = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        guard capture else { return (system(command + " >/dev/null 2>&1"), "") }
        guard let pipe = popen(command + " 2>/dev/null", "r") else { return (127, "") }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, pipe)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        return (pclose(pipe), String(decoding: output, as: UTF8.self))
    }
}
