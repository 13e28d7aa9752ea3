import CKSTestSupport
import Foundation
import Synchronization

/// Keeps one `cks serve --pace demo` running on a fixed loopback port until stopped: when the killer ends it,
/// it starts again at once. An exit that is not the killer's SIGKILL (or the final SIGTERM) is a problem.
final class ServeSupervisor: Sendable {
    let world: ChaosWorld
    let port: Int
    let roster: Roster
    let ledger: ChaosLedger
    private let stopping = Atomic<Bool>(false)
    private let current = Mutex<ChildProcess?>(nil)
    private let starts = Atomic<Int>(0)
    /// Past this moment the loop ends even if `stop()` never came.
    private let hardStop: Date

    init(world: ChaosWorld, port: Int, roster: Roster, ledger: ChaosLedger, deadline: Date) {
        hardStop = deadline.addingTimeInterval(600)
        self.world = world
        self.port = port
        self.roster = roster
        self.ledger = ledger
    }

    /// How many times the server was started.
    var startCount: Int { starts.load(ordering: .relaxed) }

    /// Runs until `stop()`: start, wait for the banner, wait for the end, start again.
    func run() {
        while !stopping.load(ordering: .relaxed) && Date() < hardStop {
            let child: ChildProcess
            do {
                child = try world.start(["serve", "--port", "\(port)", "--pace", "demo"])
            } catch {
                ledger.problem("cannot start cks serve: \(error)")
                return
            }
            starts.add(1, ordering: .relaxed)
            current.withLock { $0 = child }
            roster.add(child.pid, .serve)
            if !child.waitForOutput("Ctrl-C stops the server.", seconds: 60), child.isRunning {
                ledger.problem("cks serve did not start within 60 s: \(child.stderrTail)")
            }
            while child.isRunning && !stopping.load(ordering: .relaxed) && Date() < hardStop { usleep(10_000) }
            roster.remove(child.pid)
            if stopping.load(ordering: .relaxed) { break }
            guard let exit = child.waitForEnd(seconds: 30) else { continue }
            if !(exit.bySignal && exit.code == SIGKILL) {
                ledger.problem("cks serve ended by itself (\(exit.bySignal ? "signal" : "status") \(exit.code)): \(child.stderrTail)")
            }
        }
    }

    /// Stops the loop and the server (SIGTERM: it must then exit 0 within 30 s).
    func stop() {
        stopping.store(true, ordering: .relaxed)
        guard let child = current.withLock({ $0 }), child.isRunning else { return }
        roster.remove(child.pid)
        child.send(SIGTERM)
        guard let exit = child.waitForEnd(seconds: 30) else {
            child.send(SIGKILL)
            ledger.problem("cks serve did not stop within 30 s of SIGTERM")
            return
        }
        if !exit.isSuccess && !(exit.bySignal && exit.code == SIGKILL) {
            ledger.problem("cks serve exited \(exit.code) on SIGTERM: \(child.stderrTail)")
        }
    }
}
