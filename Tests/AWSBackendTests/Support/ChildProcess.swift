// Child processes for the integration tests (moto_server, cks serve, cks itself): output collected on threads
// of their own, exit observed, every wait bounded, and the process killed when the test drops it.

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a finished command did.
struct CommandResult: Sendable, CustomStringConvertible {
    var command: String
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String {
        "$ \(command)\n→ exit \(status)\n--- stdout ---\n\(stdout.prefix(4000))\n--- stderr ---\n\(stderr.prefix(2000))"
    }
}

/// Reads a file descriptor until end of file on a thread of its own, then closes it.
final class PipeCollector: Sendable {
    private let data = Mutex(Data())
    private let finished = Mutex(false)

    init(fileDescriptor fd: Int32) {
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    data.withLock { $0.append(contentsOf: chunk[0..<count]) }
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(fd)
            finished.withLock { $0 = true }
        }
        thread.start()
    }

    var text: String { String(decoding: data.withLock { $0 }, as: UTF8.self) }
    var isFinished: Bool { finished.withLock { $0 } }
}

/// A started process, spawned with posix_spawn: default signal dispositions and an empty signal mask (a child
/// of Foundation's Process started from a concurrency thread inherits its blocked SIGTERM), no descriptor of
/// ours but its own pipes, and reaped with waitpid. Stopped (SIGTERM, then SIGKILL) when dropped.
final class ChildProcess: Sendable {
    let command: String
    let pid: pid_t
    private let out: PipeCollector
    private let err: PipeCollector
    private let status = Mutex<Int32?>(nil)

    /// A shell that runs the command and ends it when the test process has gone (a killed test run leaves no
    /// server behind) or when the shell itself is told to stop.
    private static let watchdog = """
        "$@" & child=$!
        trap 'kill $child 2>/dev/null; exit 143' TERM INT
        while kill -0 $PPID 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.2; done
        kill $child 2>/dev/null
        wait $child
        """

    /// Starts the command; `watched` runs it under the watchdog shell (for servers that outlive a command).
    init(_ executable: String, _ arguments: [String], environment: [String: String], watched: Bool = false) throws {
        command = ([executable] + arguments).joined(separator: " ")
        let path = watched ? "/bin/sh" : executable
        let argumentList = watched ? ["sh", "-c", Self.watchdog, "sh", executable] + arguments : [executable] + arguments
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw Spawn.Failed(description: "pipe: \(errno)") }
        for fd in [outPipe[0], errPipe[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
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

        let argv = argumentList.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, path, &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard result == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw Spawn.Failed(description: "posix_spawn \(path): \(String(cString: strerror(result)))")
        }
        pid = child
        out = PipeCollector(fileDescriptor: outPipe[0])
        err = PipeCollector(fileDescriptor: errPipe[0])
    }

    deinit {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        awaitExit(bound: 3)
        if isRunning {
            kill(pid, SIGKILL)
            awaitExit(bound: 5)
        }
    }

    var stdout: String { out.text }
    var stderr: String { err.text }

    /// False once the process has exited (and been reaped).
    var isRunning: Bool {
        status.withLock { status in
            guard status == nil else { return false }
            var raw: Int32 = 0
            guard waitpid(pid, &raw, WNOHANG) == pid else { return true }
            status = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
            return false
        }
    }

    /// The exit status (128 + signal when killed by one), once it has exited.
    var exitStatus: Int32? { _ = isRunning; return status.withLock { $0 } }

    private func awaitExit(bound seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning && Date() < deadline { usleep(5_000) }
    }

    /// Waits for the exit and the end of the output, at most `bound`; kills the process when the bound passes.
    func finish(bound: Duration = .seconds(60)) async throws -> CommandResult {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: bound)
        while isRunning || !out.isFinished || !err.isFinished {
            if clock.now >= deadline {
                kill(pid, SIGKILL)
                awaitExit(bound: 5)
                throw TimedOut(what: "\(command) to finish within \(bound): \(stdout.suffix(500)) \(stderr.suffix(500))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return CommandResult(command: command, status: exitStatus ?? -1, stdout: stdout, stderr: stderr)
    }

    /// SIGTERM, then SIGKILL if it has not gone within a few seconds.
    func stop() async {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(5))
        while isRunning && clock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        if isRunning {
            kill(pid, SIGKILL)
            awaitExit(bound: 5)
        }
    }

    /// Runs a command to its end, at most `bound`.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    bound: Duration = .seconds(60)) async throws -> CommandResult {
        try await ChildProcess(executable, arguments, environment: environment).finish(bound: bound)
    }
}

/// Programs found on PATH, and TCP helpers.
enum Host {
    static func which(_ name: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A TCP port nobody listens on right now (the system picks it).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TimedOut(what: "a socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw TimedOut(what: "a free port") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}
