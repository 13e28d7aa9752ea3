import Dispatch
import Foundation
import Synchronization

/// Runs `action` when one of `signals` arrives, instead of the default (ending the process at once); a
/// second signal ends the process at once, in case stopping hangs.
final class SignalWatcher {
    private final class Count: Sendable {
        let value = Mutex(0)
    }

    private let sources: [any DispatchSourceSignal]

    /// `onSecond` is written to standard error before a second signal ends the process.
    init(signals: [Int32], onSecond: String, action: @escaping @Sendable () -> Void) {
        let count = Count()
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let seen = count.value.withLock { value in
                    value += 1
                    return value
                }
                guard seen > 1 else { return action() }
                FileHandle.standardError.write(Data((onSecond + "\n").utf8))
                exit(1)
            }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
