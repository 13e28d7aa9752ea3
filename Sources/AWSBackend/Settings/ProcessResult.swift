import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A finished child process: its status and what it wrote.
struct ProcessResult: Sendable {
    var status: Int32
    var stdout: Data
    var stderr: String

    /// Why a program could not be started.
    struct LaunchError: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `executable` off the cooperative pool. Standard input is inherited (a credential process may
    /// prompt, as with the aws CLI); signals start unblocked with default handling, so Ctrl-C reaches it.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: try runBlocking(executable, arguments, environment: environment))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> ProcessResult {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { throw LaunchError(description: "no pipe: \(String(cString: strerror(errno)))") }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0])
            close(outPipe[1])
            throw LaunchError(description: "no pipe: \(String(cString: strerror(errno)))")
        }
        let pid: pid_t
        do {
            pid = try spawn(executable, arguments, environment: environment, stdout: outPipe[1], stderr: errPipe[1])
        } catch {
            for fd in outPipe + errPipe { close(fd) }
            throw error
        }
        close(outPipe[1])
        close(errPipe[1])
        // Read standard error on another thread so that neither pipe can fill up and block the child.
        let errorText = Mutex(Data())
        let group = DispatchGroup()
        group.enter()
        let errorReadEnd = errPipe[0]
        DispatchQueue.global().async {
            let data = readAll(errorReadEnd)
            errorText.withLock { $0 = data }
            group.leave()
        }
        let output = readAll(outPipe[0])
        group.wait()
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let status = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        return ProcessResult(status: status, stdout: output, stderr: String(decoding: errorText.withLock { $0 }, as: UTF8.self))
    }

    /// posix_spawn with the pipes as standard output and error, trying again a few times while the executable is
    /// "busy": a script just written may still be open for writing in a child another thread forked meanwhile.
    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], stdout: Int32, stderr: Int32
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
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
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

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var attempt = 0
        while true {
            var pid: pid_t = 0
            let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            if result == 0 { return pid }
            attempt += 1
            guard result == ETXTBSY, attempt < 5 else { throw LaunchError(description: String(cString: strerror(result))) }
            usleep(UInt32(20_000 * attempt))
        }
    }

    private static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: chunk[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(fd)
        return data
    }
}
