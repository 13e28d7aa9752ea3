import Foundation

/// What a chaos run does: how long, with which seed, with how many of each process, and how often the killer
/// strikes.
public struct ChaosOptions: Sendable {
    /// How long the processes work and the killer kills (then every workflow is let finish and the world checked).
    public var duration: Duration = .seconds(60)
    public var seed: UInt64 = 1
    /// The `cks` under test.
    public var cks: URL
    /// The world's folder (a new temporary one, removed afterwards, when nil).
    public var home: URL?
    /// Processes running `cks connect|disconnect STORE --wait` one after another.
    public var cliWorkers = 2
    /// Threads sending KMS calls to `cks serve`.
    public var kmsClients = 2
    /// A console in tmux pressing keys (needs tmux).
    public var console = true
    /// A pause after each KMS call (the test suite's short run leaves room for the other tests).
    public var kmsPause = 0.0
    /// The killer waits a random time in this range between two SIGKILLs.
    public var killGap: ClosedRange<Double> = 0.3...0.9

    public init(cks: URL) {
        self.cks = cks
    }
}
