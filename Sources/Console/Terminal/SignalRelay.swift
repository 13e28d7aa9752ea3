#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signals, handled the only safe way: a handler writes the signal's number to a pipe, which the input
/// thread reads. A crash (SIGSEGV, SIGILL, SIGABRT…) first writes the bytes that restore the terminal.
enum SignalRelay {
    /// The signals that end or resize the console.
    static let relayed: [Int32] = [SIGWINCH, SIGTERM, SIGHUP, SIGINT, SIGQUIT]
    /// The signals of a crash.
    static let fatal: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    // Read by signal handlers, which can capture nothing; written only before they are installed.
    nonisolated(unsafe) private static var pipeWriteEnd: Int32 = -1
    nonisolated(unsafe) private static var restoreBytes: UnsafeMutablePointer<UInt8>?
    nonisolated(unsafe) private static var restoreCount = 0
    nonisolated(unsafe) private static var savedTerminal = termios()
    nonisolated(unsafe) private static var hasSavedTerminal = false
    nonisolated(unsafe) private static var previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

    /// Saves the terminal settings as they are before ncurses changes them.
    static func saveTerminalSettings() {
        hasSavedTerminal = tcgetattr(STDIN_FILENO, &savedTerminal) == 0
    }

    /// Installs the handlers (before ncurses starts, so that it keeps its own off): relayed signals go to
    /// `pipe`; fatal ones restore the terminal, then let the previous handler (the Swift runtime's
    /// backtracer, or the default) do its work.
    static func install(pipe: Int32) {
        pipeWriteEnd = pipe
        for signal in relayed { set(signal, relay, flags: SA_RESTART) }
        for signal in fatal { set(signal, crash, flags: 0) }
    }

    /// The bytes a crash writes to the terminal (leave the alternate screen, show the cursor…).
    static func setRestoreSequence(_ bytes: [UInt8]) {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        buffer.initialize(from: bytes, count: bytes.count)
        restoreCount = 0
        restoreBytes = buffer
        restoreCount = bytes.count
    }

    /// Puts back the handlers that were there before `install`.
    static func uninstall() {
        for signal in relayed + fatal { sigaction(signal, previous + Int(signal), nil) }
        pipeWriteEnd = -1
    }

    private static func set(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void, flags: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = flags
        sigaction(signal, &action, previous + Int(signal))
    }

    private static let relay: @convention(c) (Int32) -> Void = { signal in
        var byte = UInt8(truncatingIfNeeded: signal)
        let savedErrno = errno
        _ = write(SignalRelay.pipeWriteEnd, &byte, 1)
        errno = savedErrno
    }

    private static let crash: @convention(c) (Int32) -> Void = { signal in
        if let bytes = SignalRelay.restoreBytes { _ = write(STDOUT_FILENO, bytes, SignalRelay.restoreCount) }
        if SignalRelay.hasSavedTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &SignalRelay.savedTerminal) }
        sigaction(signal, SignalRelay.previous + Int(signal), nil)
        raise(signal)
    }
}
