import CKSTestSupport
import Dispatch
import Foundation

/// Waits for `work` from a thread outside the shared pool (the harness's worker threads, the command's main
/// thread): the harness's loops are synchronous, the test support's tmux and spawning are async.
func waitingFor<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = AwaitedOutcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { outcome.result = .success(try await work()) } catch { outcome.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try outcome.result!.get()
}

/// The result `waitingFor` hands from its task to the waiting thread (the semaphore orders the two).
private final class AwaitedOutcome<T: Sendable>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// `TmuxServer` for the harness's synchronous loops (never called from the shared pool).
struct SyncTmux: Sendable {
    let server: TmuxServer

    init(socket: String, session: String, command: String, width: Int, height: Int) throws {
        server = try waitingFor { try await TmuxServer(socket: socket, session: session, command: command, width: width, height: height) }
    }

    @discardableResult
    func run(_ arguments: [String], capture: Bool = true) throws -> String {
        try waitingFor { [server] in try await server.run(arguments, capture: capture) }
    }

    func screen() -> String {
        (try? waitingFor { [server] in await server.screen() }) ?? ""
    }

    func send(_ keys: [String]) {
        _ = try? waitingFor { [server] in await server.send(keys) }
    }

    func resize(width: Int, height: Int) {
        _ = try? waitingFor { [server] in await server.resize(width: width, height: height) }
    }

    func panePid() throws -> pid_t? {
        try waitingFor { [server] in try await server.panePid() }
    }

    func kill() {
        server.kill()
    }
}
