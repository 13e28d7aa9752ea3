import KeyStoreEngine

/// Keeps the console's code pages given back (`StartupPages`) after start-up. Work in the background, such as
/// the simulator's periodic `KmsHealthCheck` probe of an external key store (TLS, the HTTP client, the embedded
/// proxy), runs code that start-up never ran and brings about 19 MiB of it back. The runtime asks when a
/// probe's answer arrives, and every `interval` besides: one small read of /proc, and when the resident set
/// grew by `growthKiB` since the last release while nothing on screen moves, the code pages go back again.
/// Pages that run later come back from the page cache on first use. The threshold is above what the console's
/// own idle work brings back after a release (about 4 MiB): with a lower one, each release paid for the next.
@MainActor
struct CodePageWatch {
    static let interval: Duration = .seconds(5)
    static let growthKiB = 8 * 1024

    private var residentAfterRelease: Int?
    private var timer: Task<Void, Never>?

    /// Gives the start-up pages back now and looks again every `interval`, through `check`.
    mutating func start(check: @escaping @Sendable () -> Void) {
        release()
        timer = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.interval)
                if Task.isCancelled { break }
                check()
            }
        }
    }

    mutating func releaseIfGrown() {
        guard let before = residentAfterRelease, let now = StartupPages.residentKiB(), now - before >= Self.growthKiB else { return }
        release()
    }

    mutating func stop() {
        timer?.cancel()
        timer = nil
    }

    private mutating func release() {
        StartupPages.release()
        residentAfterRelease = StartupPages.residentKiB()
    }
}
