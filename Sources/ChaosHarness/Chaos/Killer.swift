import CKSTestSupport
import Foundation

/// SIGKILLs one process of the run at random moments until the deadline: a kind first (CLI, server, console),
/// then one process of that kind. Each owner starts its process again.
struct Killer: Sendable {
    let roster: Roster
    let ledger: ChaosLedger
    let gap: ClosedRange<Double>
    let seed: UInt64
    let deadline: Date

    func run() {
        var generator = SeededGenerator(seed: seed)
        while true {
            let pause = Double.random(in: gap, using: &generator)
            guard Date().addingTimeInterval(pause) < deadline else { return }
            usleep(UInt32(pause * 1_000_000))
            guard let victim = roster.pick(using: &generator) else { continue }
            if kill(victim.pid, SIGKILL) == 0 { ledger.killed(victim.kind) }
        }
    }
}
