import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a short program with posix_spawn and waitpid rather than Foundation's Process: the child gets
/// /dev/null or a temporary file and no other descriptor of ours, so a daemon it starts (a tmux server) holds
/// no pipe the test waits on, no SIGCHLD handling of Foundation is involved, and signals start unblocked.
enum Spawn {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs the program to its end; returns what it wrote on standard output (when `capture`).
    @discardableResult
    static func run(_ path: String, _ arguments: [String], capture: Bool = true) throws -> String {
        try runWithStatus(path, arguments, capture: capture).output
    }

    /// The exit status (or -1 when killed by a signal) and standard output.
    static func runWithStatus(_ path: String, _ arguments: [String], capture: Bool = true) throws -> (status: Int32, output: String) {
        let output = FileManager.default.temporaryDirectory.appending(path: "cks-awstests-\(UUID().uuidString).out").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture ? output : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in environment { free(pointer) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, environment)
        guard status == 0 else { throw Failed(description: "posix_spawn \(path): \(String(cString: strerror(status)))") }
        var exit: Int32 = 0
        while waitpid(pid, &exit, 0) < 0 && errno == EINTR {}
        let text = capture ? ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "") : ""
        let exited = exit & 0x7f == 0
        return (exited ? (exit >> 8) & 0xff : -1, text)
    }
}
