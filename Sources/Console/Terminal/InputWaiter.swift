import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread that sleeps in poll(2) on standard input and the signal pipe, and only says "readable":
/// the main actor then reads the keys itself. Nothing runs while nothing happens.
final class InputWaiter: @unchecked Sendable {
    /// Written by signal handlers (their numbers) and by `stop` (a zero).
    let pipeWriteEnd: Int32
    private let pipeReadEnd: Int32
    private let drained = DispatchSemaphore(value: 0)
    private var thread: Thread?

    init() throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
        pipeReadEnd = ends[0]
        pipeWriteEnd = ends[1]
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(pipeReadEnd, F_SETFL, fcntl(pipeReadEnd, F_GETFL) | O_NONBLOCK)
    }

    /// Starts waiting; `readable` is called when keys are there (then waits for `resume`), `signal` for each signal.
    func start(readable: @escaping @Sendable () -> Void, signal: @escaping @Sendable (Int32) -> Void) {
        let thread = Thread { [self] in
            loop(readable: readable, signal: signal)
        }
        thread.name = "cks input"
        self.thread = thread
        thread.start()
    }

    /// Called by the main actor once it has read every waiting key.
    func resume() {
        drained.signal()
    }

    /// Ends the thread.
    func stop() {
        var zero: UInt8 = 0
        _ = write(pipeWriteEnd, &zero, 1)
        drained.signal()
    }

    deinit {
        close(pipeReadEnd)
        close(pipeWriteEnd)
    }

    private func loop(readable: @Sendable () -> Void, signal: @Sendable (Int32) -> Void) {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: pipeReadEnd, events: Int16(POLLIN), revents: 0)]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 {
                var bytes = [UInt8](repeating: 0, count: 64)
                let count = read(pipeReadEnd, &bytes, bytes.count)
                for byte in bytes.prefix(max(0, count)) {
                    if byte == 0 { return }
                    signal(Int32(byte))
                }
            }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0, fds[0].revents & Int16(POLLIN) == 0 {
                signal(SIGHUP)
                return
            }
            if fds[0].revents != 0 {
                readable()
                drained.wait()
            }
        }
    }
}
