import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A program could not be started, or a descriptor for it could not be made.
public struct SpawnFailed: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// How a process ended, decoded from waitpid's status.
public struct ExitStatus: Sendable, Equatable {
    /// The exit status, or the signal number when `bySignal`.
    public var code: Int32
    public var bySignal: Bool

    init(waitStatus raw: Int32) {
        if raw & 0x7f == 0 {
            code = (raw >> 8) & 0xff
            bySignal = false
        } else {
            code = raw & 0x7f
            bySignal = true
        }
    }

    /// Exit status 0.
    public var isSuccess: Bool { !bySignal && code == 0 }

    /// The shell's convention: the exit status, or 128 + the signal number.
    public var shellStatus: Int32 { bySignal ? 128 + code : code }
}

/// posix_spawn rather than Foundation's Process (whose waitUntilExit hangs on Swift's concurrency threads and
/// whose children inherit a blocked SIGTERM): default signal dispositions, an empty signal mask, and no
/// descriptor of ours but the three standard ones, so a daemon the child starts (a tmux server) holds no pipe
/// the test waits on.
enum PosixSpawn {
    /// Where one of the child's standard descriptors goes.
    enum Stream {
        case devNull
        /// A file opened for reading (standard input) or created and truncated (output).
        case file(String)
        /// A descriptor of ours, duplicated onto the standard one.
        case descriptor(Int32)
    }

    static func spawn(
        _ path: String, arguments: [String], environment: [String: String],
        stdin: Stream = .devNull, stdout: Stream, stderr: Stream
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .devNull:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let file):
                posix_spawn_file_actions_addopen(&actions, target, file, target == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            case .descriptor(let fd):
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }

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

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard result == 0 else { throw SpawnFailed("posix_spawn \(path): \(String(cString: strerror(result)))") }
        return pid
    }

    /// Blocks until the child exits (retrying on EINTR) and reaps it.
    static func wait(_ pid: pid_t) -> ExitStatus {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        return ExitStatus(waitStatus: raw)
    }
}
