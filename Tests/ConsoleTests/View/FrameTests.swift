import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// The rendered grid compared as text (styles in a separate map), at 100×24 unless said otherwise.
@Suite("Frames")
struct FrameTests {
    let scenes = FrameScenes()

    @Test func storeList() {
        let frame = scenes.list()
        expectFrame(frame, #"""
         cks   Custom key stores                                       simulator · us-east-1 · 111122223333
         6 stores  ● 1  ⠋ 1 connecting  ⠋ 1 disconnecting  ○ 1  ✗ 2 failed        ? help  : command  q quit

         [ AWS CloudHSM key stores (6) ] ✗ 2 failed    External key stores (0)
          NAME ▲             ID                     CLUSTER               HSMS  CONNECTION STATE
        ▸ analytics          cks-2b3c4d5e6f7080912  cluster-anal2b3c4d5e     2  ○ DISCONNECTED
          archive            cks-6f708091a2b3c4d56  cluster-arch6f7g2h3i     1  ⠋ DISCONNECTING
          dev-locked         cks-3c4d5e6f708091a23  cluster-devl3c4d5e6f     2  ✗ FAILED  USER_LOCKED_OUT
          legacy-vault       cks-5e6f708091a2b3c45  cluster-lega5e6f7g2h     -  ✗ FAILED  CLUSTER_NOT_FOUND
          prod-payments      cks-1a2b3c4d5e6f70801  cluster-prod2a3b4c5d     2  ● CONNECTED
          staging            cks-4d5e6f708091a2b34  cluster-stag4d5e6f7g     2  ⠋ CONNECTING












         j/k move   [/] tab   ⏎ details   a actions   / filter   s sort   l log
        """#)
        #expect(frame.style(of: "● CONNECTED")?.role == .connected)
        #expect(frame.style(of: "✗ FAILED")?.role == .failed)
        #expect(frame.style(of: "USER_LOCKED_OUT")?.role == .errorCode)
        #expect(frame.style(of: "NAME ▲")?.role == .columnSorted)
        #expect(frame.selectedRows == [5], "the selected row is highlighted, not only marked")
    }

    @Test func actionsMenuGreysForbiddenEntriesWithTheirReason() {
        let frame = scenes.menu()
        expectFrame(frame, #"""
         cks   Custom key stores                                       simulator · us-east-1 · 111122223333
         6 stores  ● 1  ⠋ 1 connecting  ⠋ 1 disconnecting  ○ 1  ✗ 2 failed        ? help  : command  q quit

         [ AWS CloudHSM key stores (6) ] ✗ 2 failed    External key stores (0)
          NAME ▲          ╭─ Key store actions · dev-locked ─────────────────────────────╮ STATE
          analytics       │  c  Connect                                                  │CTED
          archive         │     disconnect first: a FAILED store cannot be connected     │CTING
        ▸ dev-locked      │▸ d  Disconnect                                               │USER_LOCKED_OUT
          legacy-vault    │  e  Edit                                                     │CLUSTER_NOT_FOUND
          prod-payments   │     disconnect first: a FAILED store cannot be edited        │D
          staging         │  N  Create a KMS key in this store                           │NG
                          │     disconnect first: a FAILED store must be disconnected,   │
                          │     fixed and connected again                                │
                          │  f  Repair                                                   │
                          │  x  Delete                                                   │
                          │     disconnect first: only a DISCONNECTED store can be       │
                          │     deleted                                                  │
                          │  ────────────                                                │
                          │  n  Create key store                                         │
                          ╰──────────────────────────────────────────────────────────────╯



         j/k move   ⏎ choose   Esc close
        """#)
        // The menu box in the style map: "-" greyed entries, "r" their reasons, "m"/"K" choosable ones.
        let rows = frame.text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        let top = rows.firstIndex { $0.contains("╭") }!
        let bottom = rows.firstIndex { $0.contains("╰") }!
        let left = rows[top].firstIndex(of: "╭")!, right = rows[top].firstIndex(of: "╮")!
        let box = frame.styleMap.split(separator: "\n", omittingEmptySubsequences: false)[top...bottom]
            .map { String(Array($0)[left...right]) }.joined(separator: "\n")
        #expect(box == """
            ||.tttttttttttttttttsssssssssssss.||||||||||||||||||||||||||||||
            |..----------..................................................|
            |..rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr.....|
            |a.Kmmmmmmmmmmmm...............................................|
            |..-------.....................................................|
            |..rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr........|
            |..---------------------------------...........................|
            |..rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr...|
            |..rrrrrrrrrrrrrrrrrrrrrrrrrrrr................................|
            |..Kmmmmmmmm...................................................|
            |..---------...................................................|
            |..rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr.......|
            |..rrrrrrrrrr..................................................|
            |..||||||||||||................................................|
            |..Kmmmmmmmmmmmmmmmmmm.........................................|
            ||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||
            """)
    }

    @Test func disconnectConfirmationListsTheKeysThatBecomeUnavailable() {
        let frame = scenes.disconnect()
        expectFrame(frame, #"""
         cks   Custom key stores                                       simulator · us-east-1 · 111122223333
         6 stores  ● 1  ⠋ 1 connecting  ⠋ 1 disconnecting  ○ 1  ✗ 2 failed        ? help  : command  q quit

         [ AWS CloudHSM key stores (6) ] ✗ 2 failed    External key stores (0)
          ╭─ Disconnect prod-payments? ──────────────────────────────────────────────────────────────────╮
          │                                                                                              │
          │ KMS logs kmsuser out and disconnects from cluster-prod2a3b4c5d; it deletes the network       │
          │ interfaces and the security group kms-cks-1a2b3c4d5e6f70801 it made. Cryptographic           │
          │ operations with the store's keys fail until it is connected again.                           │D
        ▸ │                                                                                              │
          │ 2 KMS keys become Unavailable:                                                               │
          │   KEY         DESCRIPTION           STATE                         LAST USED                  │
          │   1111aaaa…   card tokens           Enabled → Unavailable         Decrypt, 3 min ago         │
          │   2222aaaa…   settlement files      Enabled → Unavailable         GenerateDataKey, 2 h ago   │
          │   3333aaaa…   old exports           PendingDeletion               never used                 │
          │                                                                                              │
          │ $ aws kms disconnect-custom-key-store --custom-key-store-id cks-1a2b3c4d5e6f70801            │
          │                                                                                              │
          │                                                                   [ Cancel ]    Disconnect   │
          ╰──────────────────────────────────────────────────────────────────────────────────────────────╯



         Tab switch   ⏎ press   Esc cancel
        """#)
        #expect(frame.style(of: "[ Cancel ]")?.role == .buttonFocused, "the focus starts on Cancel")
        #expect(frame.style(of: "Disconnect   ")?.role == .dangerButton)
        #expect(frame.style(of: "Enabled → Unavailable")?.role == .warning)
    }

    @Test func progressOfARunningConnect() {
        expectFrame(scenes.progress(), #"""
         cks   Custom key stores                                       simulator · us-east-1 · 111122223333
         6 stores  ● 1 connected  ⠋ 2 connecting  ⠋ 1 disconnecting  ✗ 2 failed   ? help  : command  q quit

         [ AWS CloudHSM key stores (6) ] ✗ 2 failed    External key stores (0)
          NAME ▲             ID                     CLUSTER               HSMS  CONNECTION STATE
        ▸ analytics          cks-2b3c4d5e6f7080912  cluster-anal2b3c4d5e     2  ⠋ CONNECTING
          archive            cks-6f708091a2b3c4d56  cluster-arch6f7g2h3i     1  ⠋ DISCONNECTING
          dev-locked         cks-3c4d5e6f708091a23  cluster-devl3c4d5e6f     2  ✗ FAILED  USER_LOCKED_OUT
          legacy-vault       cks-5e6f708091a2b3c45  cluster-lega5e6f7g2h     -  ✗ FAILED  CLUSTER_NOT_FOUND
          prod-payments      cks-1a2b3c4d5e6f70801  cluster-prod2a3b4c5d     2  ● CONNECTED
          staging            cks-4d5e6f708091a2b34  cluster-stag4d5e6f7g     2  ⠋ CONNECTING










        ── Running · 1 ─────────────────────────────────────────────────────────────────────────────────────
         ⠋ Connect    analytics             ✓✓·  Create network interface in us-east-1b…    7s of up to 20m
         Connecting analytics… it runs in the background; keep browsing.
        """#)
        let detail = scenes.progressDetail()
        expectFrame(detail, #"""
         cks   Custom key stores                                       simulator · us-east-1 · 111122223333
         6 stores  ● 1 connected  ⠋ 2 connecting  ⠋ 1 disconnecting  ✗ 2 failed   ? help  : command  q quit

          Custom key stores › analytics   ⠋ CONNECTING                                                  45%

          Connect in progress  running · 7s of up to 20m
            ✓ Create security group         sg-0a1b2c3d (kms-cks-2b3c4d5e6f7080912)
            ✓ Create network interface      eni-0f1e2d3c in us-east-1a
            ⠋ Create network interface      in us-east-1b…

          General configuration
            Custom key store ID cks-2b3c4d5e6f7080912
            Name                analytics
            Type                AWS CloudHSM
            CloudHSM cluster    cluster-anal2b3c4d5e
            Connection state    ⠋ CONNECTING
            Created             2026-02-02 12:00  300 days ago
            Equivalent          aws kms describe-custom-key-stores --custom-key-store-id
                                cks-2b3c4d5e6f7080912

          Trust anchor certificate
        ── Running · 1 ─────────────────────────────────────────────────────────────────────────────────────
         ⠋ Connect    analytics             ✓✓·  Create network interface in us-east-1b…    7s of up to 20m
         Esc back   j/k scroll   a actions   J/K select key
        """#)
        #expect(detail.style(of: "✓ Create security group")?.role == .good)
    }

    @Test func detailOfAFailedStoreExplainsTheCodeAndTheFix() throws {
        let frame = scenes.failedDetail()
        let entry = try #require(TroubleshootingCatalogue.standard.entry(for: .userLockedOut))
        #expect(frame.line(3).hasPrefix("  Custom key stores › dev-locked   ✗ FAILED  USER_LOCKED_OUT"))
        #expect(frame.line(5) == "  Why it is FAILED")
        #expect(frame.line(6) == "    ✗ USER_LOCKED_OUT  " + entry.title)
        #expect(frame.line(7).hasPrefix("    Meaning             "))
        // Wrapped text: compare with the catalogue's words, whitespace aside.
        func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let body = words(frame.text)
        #expect(body.contains(words(entry.meaning)))
        // The steps name the store's and cluster's real IDs, not placeholders (issue 15, item 3).
        let store = try #require(Fixtures.stores.first { $0.id == Fixtures.lockedId })
        for (index, step) in entry.fixSteps(for: RepairContext(store: store)).enumerated() {
            #expect(body.contains("\(index + 1). " + words(step)), "fix step \(index + 1)")
        }
        #expect(!body.contains("<store>") && !body.contains("<cluster>") && !body.contains("<store-id>"))
        #expect(body.contains("cks disconnect \(Fixtures.lockedId) --wait"))
        #expect(body.contains("cks sim reset-kmsuser cluster-devl3c4d5e6f"))
        #expect(body.contains("Repair 1. disconnect → 2. edit kmsuser password → 3. connect f starts it"))
        #expect(body.contains("Connection error USER_LOCKED_OUT"))
        #expect(body.contains("Subject CN=customerCA Organization Example Corp Organizational unit CloudHSM Team Issuer self-signed"))
        #expect(body.contains("Valid from 2026-11-29 21:19 Valid until 2036-11-26 21:19 not valid yet"))
        #expect(body.contains("kmsuser locked out after 5 failed logins"))
        #expect(body.contains("4444aaaa-bbbb-4ccc-8ddd-000000000004 dev secrets Unavailable Encrypt, 3 days ago"))
        #expect(frame.style(of: "locked out after 5 failed logins")?.role == .bad)
    }

    @Test func helpIsGeneratedFromTheBindingTable() {
        let frame = scenes.help()
        expectFrame(frame, #"""
         cks   Custom key stores                                       simulator · us-east-1 · 111122223333
        ╭─ Help  · Esc closes, j/k scroll ─────────────────────────────────────────────────────────────────╮
        │ Anywhere                                                                                         │
        │   Ctrl-C                Quit at once (running connects and disconnects go on)                    │
        │   Ctrl-L                Redraw the whole screen                                                  │
        │                                                                                                  │
        │ Everywhere outside dialogs                                                                       │
        │   ?                     Show this help                                                           │
        │   :                     Command line (:connect NAME, :sort state, :q; all below)                 │
        │   R                     Switch Region (with --backend aws; the simulator has one)                │
        │   q                     Quit (says what is still running)                                        │
        │                                                                                                  │
        │ Key store list                                                                                   │
        │   j ↓                   Next store                                                               │
        │   k ↑                   Previous store                                                           │
        │   [                     Previous tab: AWS CloudHSM key stores / External key stores              │
        │   ]                     Next tab                                                                 │
        │   1                     The AWS CloudHSM key stores tab                                          │
        │   2                     The External key stores tab                                              │
        │   PgDn Ctrl-D Ctrl-F    Page down                                                                │
        │   PgUp Ctrl-U Ctrl-B    Page up                                                                  │
        │   g Home                First store                                                              │
        ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
         Esc close   j scroll
        """#)
        for binding in KeyBindings.table.prefix(8) {
            #expect(frame.text.contains(binding.help))
        }
        #expect(frame.style(of: "Switch Region")?.role == .menuDisabled, "greyed: the simulator has one Region")
    }

    @Test func tooSmallTerminalSaysSoInsteadOfABrokenLayout() {
        expectFrame(scenes.tooSmall(), #"""



                     cks needs at least 60×14
                     This terminal is 50×10.
                 Enlarge it, or press q to quit.




        """#)
    }

    @Test func asciiModeHasNoSymbolsOutsideASCII() {
        let frame = scenes.ascii()
        expectFrame(frame, #"""
         cks   Custom key stores                                       simulator - us-east-1 - 111122223333
         6 stores  * 1  | 1 connecting  | 1 disconnecting  o 1  x 2 failed        ? help  : command  q quit

         [ AWS CloudHSM key stores (6) ] x 2 failed    External key stores (0)
          NAME ^             ID                     CLUSTER               HSMS  CONNECTION STATE
          analytics          cks-2b3c4d5e6f7080912  cluster-anal2b3c4d5e     2  o DISCONNECTED
          archive            cks-6f708091a2b3c4d56  cluster-arch6f7g2h3i     1  | DISCONNECTING
        > dev-locked         cks-3c4d5e6f708091a23  cluster-devl3c4d5e6f     2  x FAILED  USER_LOCKED_OUT
          legacy-vault       cks-5e6f708091a2b3c45  cluster-lega5e6f7g2h     -  x FAILED  CLUSTER_NOT_FOUND
          prod-payments      cks-1a2b3c4d5e6f70801  cluster-prod2a3b4c5d     2  * CONNECTED
          staging            cks-4d5e6f708091a2b34  cluster-stag4d5e6f7g     2  | CONNECTING












         j/k move   [/] tab   Enter details   a actions   / filter   s sort   l log
        """#)
        #expect(frame.text.unicodeScalars.allSatisfy { $0.isASCII })
    }
}
