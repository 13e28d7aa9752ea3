import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// posix_spawn rather than Foundation's Process (whose waitUntilExit hangs on Swift's concurrency threads and
/// whose children inherit a blocked SIGTERM): default signal dispositions, an empty signal mask, and no
/// descriptor of ours but the three standard ones, so a daemon the child starts (a tmux server) holds no pipe
/// we wait on.
public enum PosixSpawn {
    /// Where one of the child's standard descriptors goes.
    public enum Stream: Sendable {
        case devNull
        /// Ours, unchanged (a credential process may prompt on the terminal).
        case inherited
        /// A file opened for reading (standard input) or created and truncated (output).
        case file(String)
        /// A descriptor of ours, duplicated onto the standard one.
        case descriptor(Int32)
    }

    /// Starts `path` with exactly `arguments` (argv, including argv[0]) and `environment`. While the
    /// executable is "busy" (ETXTBSY: a script just written is still open for writing in a child that another
    /// thread forked meanwhile) it tries again, four times at most, within 0.2 s in all.
    public static func spawn(
        _ path: String, arguments: [String], environment: [String: String],
        stdin: Stream = .devNull, stdout: Stream, stderr: Stream
    ) throws -> pid_t {
        #if os(Linux)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .devNull:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .inherited:
                break
            case .file(let file):
                posix_spawn_file_actions_addopen(&actions, target, file, target == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            case .descriptor(let fd):
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }

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
        var attempt = 0
        while true {
            var pid: pid_t = 0
            let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
            if result == 0 { return pid }
            attempt += 1
            // "Text file busy": a program written a moment ago is still open for writing in a process that
            // another thread is starting (between its fork and its exec, which closes the descriptor); on a
            // loaded machine that moment can last a while, so wait up to about 2 s.
            guard result == ETXTBSY, attempt < 12 else {
                throw SpawnFailed("posix_spawn \(path): \(String(cString: strerror(result)))")
            }
            usleep(UInt32(min(20_000 * attempt, 200_000)))
        }
    }

    /// Blocks until the child exits (retrying on EINTR) and reaps it. Only for a thread of its own.
    static func wait(_ pid: pid_t) -> ExitStatus {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        return ExitStatus(waitStatus: raw)
    }
}
