import ChaosHarness
import CKSTestSupport
import Foundation
import Testing

/// The console under abuse, kept short: random keys and resizes down to 1x1 (scripts/chaos runs a minute).
@Suite("console abuse", .enabled(if: TmuxServer.tmux != nil, "needs tmux"))
struct ConsoleAbuseTests {
    @Test("Random keys and 30 random resizes, 1x1 included: the console never ends on its own, quits when asked and leaves the terminal as it was")
    func randomKeysAndResizes() async throws {
        let (exit, output) = try await ChaosCommand.run(["console", "--seconds", "8", "--resizes", "30", "--seed", "20261205"])
        #expect(exit?.isSuccess == true && output.contains("and 30 resizes (down to 1x1): 0 problems"), "\(output)")
        #expect((ChaosCommand.number(before: "random keys", in: output) ?? 0) > 0, "\(output)")
    }
}
