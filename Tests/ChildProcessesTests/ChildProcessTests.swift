import CKSTestSupport
import ChildProcesses
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What the one spawner promises its users (credential_process and the tests): a clean child, bounded waits
/// that hold no thread of the cooperative pool, limits, and stopping.
@Suite("Child processes")
struct ChildProcessTests {
    @Test func theChildGetsNoDescriptorOfOursButTheStandardThree() async throws {
        let leaked = open("/etc/hostname", O_RDONLY)  // not close-on-exec
        try #require(leaked > 2)
        defer { close(leaked) }
        let outcome = try await ChildProcess("/bin/ls", ["-1", "/proc/self/fd"], environment: [:]).finish()
        let descriptors = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(outcome.exit.isSuccess, "\(outcome.stderr)")
        #expect(!descriptors.contains(String(leaked)), "\(descriptors)")
        #expect(descriptors.count <= 4, "0, 1, 2 and the folder ls reads: \(descriptors)")
    }

    @Test func signalsStartUnblockedWithTheirDefaultActions() async throws {
        // This process ignores SIGPIPE (Swift's runtime and NIO do); its children must not.
        signal(SIGPIPE, SIG_IGN)
        let outcome = try await ChildProcess("/bin/grep", ["-E", "^Sig(Blk|Ign)", "/proc/self/status"], environment: [:]).finish()
        let masks = Dictionary(uniqueKeysWithValues: outcome.stdout.split(separator: "\n").compactMap { line -> (String, UInt64)? in
            let parts = line.split(separator: ":\t")
            return parts.count == 2 ? (String(parts[0]), UInt64(parts[1], radix: 16) ?? .max) : nil
        })
        #expect(masks["SigBlk"] == 0, "\(outcome.stdout)")
        // Signals 1–31; glibc's posix_spawn ignores its own two internal ones (32, 33) in the child.
        #expect(masks["SigIgn"].map { $0 & 0x7fff_ffff } == 0, "\(outcome.stdout)")
    }

    @Test func standardInputFromAFile() async throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "cks-child-input-\(UUID().uuidString)").path
        try "from the file\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        let outcome = try await ChildProcess("/bin/cat", [], environment: [:], input: .file(file)).finish()
        #expect(outcome.stdout == "from the file\n")
    }

    @Test func outputBeyondTheLimitIsReadAndDroppedAndSaidSo() async throws {
        let child = try ChildProcess("/usr/bin/head", ["-c", "200000", "/dev/zero"], environment: [:], outputLimit: 1000)
        let outcome = try await child.finish()
        #expect(outcome.exit.isSuccess, "the writer was never blocked")
        #expect(child.standardOutput.data.count == 1000)
        #expect(child.standardOutput.exceededLimit)
        #expect(!child.standardError.exceededLimit)
    }

    @Test func aBoundThatPassesEndsTheProcessWithSIGKILL() async throws {
        let child = try ChildProcess("/bin/sh", ["-c", "trap '' TERM; echo started; exec sleep 600"], environment: [:])
        try await eventually("the shell to start") { child.stdout.contains("started") }
        let outcome = try await child.finish(bound: .milliseconds(100))
        #expect(outcome.timedOut)
        #expect(outcome.exit == child.exit && outcome.exit.bySignal && outcome.exit.code == SIGKILL)
    }

    @Test func stopSendsSIGTERMFirst() async throws {
        let child = try ChildProcess("/bin/sleep", ["600"], environment: [:])
        await child.stop()
        #expect(child.exit?.bySignal == true && child.exit?.code == SIGTERM)
    }

    @Test func cancellingAnUnboundedWaitStopsTheProcess() async throws {
        let child = try ChildProcess("/bin/sleep", ["600"], environment: [:])
        let waiting = Task { try await child.finish(bound: nil) }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(child.exit?.bySignal == true && child.exit?.code == SIGTERM)
    }

    @Test func aGrandchildHoldingTheOutputDelaysTheResultByFiveSecondsAtMost() async throws {
        // A credential helper that leaves a daemon behind: the answer comes once the child has exited.
        let child = try ChildProcess("/bin/sh", ["-c", "echo answer; sleep 600 & exit 0"], environment: [:])
        let outcome = try await child.finish(bound: nil)
        #expect(outcome.exit.isSuccess && outcome.stdout == "answer\n" && !outcome.timedOut)
        #expect(!child.standardOutput.isFinished, "the grandchild still holds it")
    }

    @Test func droppingAProcessThatStopsWhenDroppedEndsIt() async throws {
        var child: ChildProcess? = try ChildProcess("/bin/sleep", ["600"], environment: [:], stopsWhenDropped: true)
        let pid = try #require(child?.pid)
        child = nil
        // Reaped by its thread once it has ended: then no process has the pid (or another one has it).
        try await eventually("the dropped process to end") { kill(pid, 0) != 0 || !Self.isSleep(pid) }
    }

    private static func isSleep(_ pid: pid_t) -> Bool {
        ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "").hasPrefix("sleep")
    }
}
