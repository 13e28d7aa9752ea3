import Foundation
import Testing
@testable import KeyStoreEngine

/// Only the executable's read-and-execute mappings that hold no page this process wrote are given back.
@Suite("Start-up code pages")
struct StartupPagesTests {
    let smaps = """
        55576ef4b000-555771e7b000 r-xp 00000000 fe:00 16278003                   /opt/cks/bin/cks
        Size:              48320 kB
        Rss:               25068 kB
        Private_Dirty:     25068 kB
        Anonymous:             0 kB
        VmFlags: rd ex mr mw me
        555771e7c000-555771fc0000 r--p 02f30000 fe:00 16278003                   /opt/cks/bin/cks
        Rss:                1296 kB
        Anonymous:          1296 kB
        555771fc0000-555774578000 rw-p 03074000 fe:00 16278003                   /opt/cks/bin/cks
        Rss:                3080 kB
        Anonymous:           500 kB
        7f0000000000-7f0000100000 r-xp 00000000 fe:00 99                         /usr/lib/x86_64-linux-gnu/libc.so.6
        Rss:                1200 kB
        Anonymous:             0 kB
        7f1000000000-7f1000200000 r-xp 00000000 fe:00 16278003                   /opt/cks/bin/cks
        Rss:                  64 kB
        Anonymous:             4 kB
        7f2000000000-7f2000001000 r-xp 00000000 fe:00 16278003                   /opt/cks/bin/cks (deleted)
        Rss:                   4 kB
        Anonymous:             0 kB
        """

    @Test func onlyTheExecutablesUnwrittenCodeIsChosen() {
        let chosen = StartupPages.codeMappings(smaps, executable: "/opt/cks/bin/cks")
        #expect(chosen == [StartupPages.Mapping(start: 0x5557_6ef4_b000, end: 0x5557_71e7_b000, residentKiB: 25068)])
    }

    @Test func theResidentSetIsReadAsStatusShowsIt() throws {
        #if os(Linux)
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let shown = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        let read = try #require(StartupPages.residentKiB())
        #expect(read > 1024)
        #expect(abs(read - shown) < shown / 4, "statm says \(read) KiB, status \(shown) KiB")
        #endif
    }

    @Test func theProcessRunsOnAfterGivingThemBack() {
        _ = StartupPages.release()
        #expect(StartupPagesTests.sum(1...1000) == 500_500, "the code that runs next comes back from the file")
    }

    private static func sum(_ range: ClosedRange<Int>) -> Int {
        range.reduce(0, +)
    }
}
