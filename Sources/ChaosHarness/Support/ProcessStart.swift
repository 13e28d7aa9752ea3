import Foundation

/// When a process started (field 22 of /proc/<pid>/stat, in clock ticks since boot): with the pid it names one
/// process for good, since a pid is reused once its process has ended (pid_max is 32768 on many machines).
enum ProcessStart {
    static func of(_ pid: pid_t) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let commandEnd = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command (which may hold spaces): state is field 3, start time field 22.
        let fields = stat[stat.index(after: commandEnd)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }
}
