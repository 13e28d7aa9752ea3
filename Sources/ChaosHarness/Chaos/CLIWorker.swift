import CKSTestSupport
import Foundation

/// Runs `cks connect|disconnect STORE --wait --pace demo` one after another on random stores until the
/// deadline. A command may be killed; one that hangs, crashes or reports an internal error is a problem.
struct CLIWorker: Sendable {
    let world: ChaosWorld
    let stores: [StoreRow]
    let roster: Roster
    let ledger: ChaosLedger
    let seed: UInt64
    let deadline: Date

    func run() {
        var generator = SeededGenerator(seed: seed)
        while Date() < deadline {
            guard let store = stores.randomElement(using: &generator) else { return }
            // Connects twice as often as disconnects, so that stores spend time CONNECTED (their keys usable).
            let action = Int.random(in: 0..<3, using: &generator) < 2 ? "connect" : "disconnect"
            let arguments = [action, Bool.random(using: &generator) ? store.name : store.id, "--wait", "--pace", "demo"]
            let child: ChildProcess
            do {
                child = try world.start(arguments)
            } catch {
                ledger.problem("cannot start cks \(arguments.joined(separator: " ")): \(error)")
                return
            }
            roster.add(child.pid, .cli)
            let exit = child.waitForEnd(seconds: 120)
            roster.remove(child.pid)
            ledger.commandRan()
            guard let exit else {
                child.send(SIGKILL)
                ledger.problem("\(child.command) did not end within 120 s")
                continue
            }
            if exit.bySignal {
                if exit.code != SIGKILL { ledger.problem("\(child.command) died of signal \(exit.code): \(child.stderrTail)") }
                continue
            }
            // 0: done; 1: a KMS error such as a store in the wrong state; 3: the store ended FAILED.
            if ![0, 1, 3].contains(exit.code) || child.stderr.contains("KMSInternalException") {
                ledger.problem("\(child.command) exited \(exit.code): \(child.stderrTail)")
            }
        }
    }
}
