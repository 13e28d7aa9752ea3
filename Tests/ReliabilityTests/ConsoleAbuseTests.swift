import ChaosHarness
import CKSTestSupport
import Foundation
import Testing

/// The console under abuse, kept short: random keys and resizes down to 1x1 (scripts/chaos runs a minute).
@Suite("console abuse", .enabled(if: TmuxServer.tmux != nil, "needs tmux"))
struct ConsoleAbuseTests {
    @Test("Random keys and 30 random resizes, 1x1 included: the console never ends on its own, quits when asked and leaves the terminal as it was")
    func randomKeysAndResizes() async throws {
        var abuse = ConsoleAbuse(cks: Executables.cks)
        abuse.seconds = 8
        abuse.resizes = 30
        abuse.seed = 20_261_205
        let run = abuse
        let outcome = try await offThePool { try run.run() }
        #expect(outcome.problems.isEmpty, "\(outcome.summary)\n\(outcome.problems.joined(separator: "\n"))")
        #expect(outcome.keys > 0 && outcome.resizes == 30, "\(outcome.summary)")
    }
}
