#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs `action` when one of `signals` arrives, instead of the default (ending the process at once); a
/// second signal ends the process at once, in case stopping hangs.
///
/// The handler only writes the signal's number to a pipe that a thread of its own reads (as the console's
/// SignalRelay does). A dispatch signal source is not used: on Linux it sees a signal only when the thread the
/// kernel picks has it blocked, and otherwise the signal was lost.
final class SignalWatcher: Sendable {
    // Read by the handler, which can capture nothing; written only before it is installed.
    nonisolated(unsafe) private static var pipeWriteEnd: Int32 = -1

    private let signals: [Int32]
    private let readEnd: Int32
    private let writeEnd: Int32

    init(signals: [Int32], onSecond: String, action: @escaping @Sendable () -> Void) {
        var ends: [Int32] = [-1, -1]
        _ = pipe(&ends)
        self.signals = signals
        readEnd = ends[0]
        writeEnd = ends[1]
        Self.pipeWriteEnd = writeEnd
        let readEnd = self.readEnd
        let thread = Thread {
            var seen = 0
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) == 1 {
                seen += 1
                if seen == 1 { action(); continue }
                FileHandle.standardError.write(Data((onSecond + "\n").utf8))
                exit(1)
            }
            close(readEnd)
        }
        thread.start()
        for number in signals { signal(number, Self.relay) }
    }

    /// Puts the default handlers back; the reading thread ends.
    func cancel() {
        for number in signals { signal(number, SIG_DFL) }
        Self.pipeWriteEnd = -1
        close(writeEnd)
    }

    private static let relay: @convention(c) (Int32) -> Void = { number in
        var byte = UInt8(truncatingIfNeeded: number)
        let savedErrno = errno
        _ = write(SignalWatcher.pipeWriteEnd, &byte, 1)
        errno = savedErrno
    }
}
