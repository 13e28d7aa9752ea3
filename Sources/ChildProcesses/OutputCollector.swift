import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor on a thread of its own until end of file (or EIO when the last writer of a
/// terminal has gone), then closes it, keeping what it read (up to a limit) and when each piece arrived. A
/// watcher, if set, sees the text after every piece on that thread (so it can react at once, whatever the load
/// on the cooperative pool).
public final class OutputCollector: Sendable {
    private struct State {
        var data = Data()
        var arrivals: [(end: Int, at: ContinuousClock.Instant)] = []
        var exceededLimit = false
        var watcher: (@Sendable (String) -> Bool)?
    }

    private let state = Mutex(State())
    private let ended = Latch()
    private let normalizesLineEndings: Bool

    /// `normalizingLineEndings`: `text` turns terminal line endings (\r\n) into \n. `limit`: at most this many
    /// bytes are kept; the rest is read and dropped (so the writer never blocks) and `exceededLimit` says so.
    public init(fileDescriptor fd: Int32, normalizingLineEndings: Bool = false, limit: Int? = nil) {
        normalizesLineEndings = normalizingLineEndings
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    let now = ContinuousClock.now
                    let (text, watcher) = state.withLock { state -> (String?, (@Sendable (String) -> Bool)?) in
                        let room = limit.map { max(0, $0 - state.data.count) } ?? count
                        state.data.append(contentsOf: chunk[0..<min(count, room)])
                        if room < count { state.exceededLimit = true }
                        state.arrivals.append((state.data.count, now))
                        return state.watcher == nil ? (nil, nil) : (decode(state.data), state.watcher)
                    }
                    if let text, let watcher, watcher(text) { state.withLock { $0.watcher = nil } }
                    continue
                }
                if count < 0 && errno == EINTR { continue }
                break
            }
            close(fd)
            ended.set()
        }
        thread.start()
    }

    private func decode(_ data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self)
        return normalizesLineEndings ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
    }

    /// True once end of file was read.
    public var isFinished: Bool { ended.isSet }

    /// Waits for end of file at most `bound`; false when the bound passes first.
    public func finished(within bound: Duration) async -> Bool { await ended.wait(bound: bound) }

    /// The bytes so far (at most the limit).
    public var data: Data { state.withLock { $0.data } }

    /// The text so far.
    public var text: String { decode(data) }

    /// More than the limit was written.
    public var exceededLimit: Bool { state.withLock { $0.exceededLimit } }

    /// Calls `watcher` with the whole text after each piece that arrives (and now), until it returns true.
    public func watch(_ watcher: @escaping @Sendable (String) -> Bool) {
        let current = state.withLock { state -> String in
            state.watcher = watcher
            return decode(state.data)
        }
        if watcher(current) { state.withLock { $0.watcher = nil } }
    }

    /// When the text first contained `fragment`: the arrival of the piece that completed it.
    public func arrival(of fragment: String) -> ContinuousClock.Instant? {
        let (data, arrivals) = state.withLock { ($0.data, $0.arrivals) }
        guard let range = data.range(of: Data(fragment.utf8)) else { return nil }
        return arrivals.first { $0.end >= range.upperBound }?.at
    }
}
