import CKSTestSupport
import Foundation
import Synchronization

/// The kinds of process the killer chooses among.
public enum VictimKind: String, Sendable, CaseIterable, Hashable {
    case cli
    case serve
    case console
}

/// An Encrypt that `cks serve` answered with success: it must decrypt to the same plaintext afterwards.
public struct Encryption: Sendable {
    public var keyId: String
    public var plaintext: String
    public var ciphertext: String
    public var context: [String: String]
}

/// What the workers of a run counted and found, shared between their threads.
public final class ChaosLedger: Sendable {
    struct State {
        var kills: [VictimKind: Int] = [:]
        var commands = 0
        var requests = 0
        var succeeded = 0
        var refused = 0
        var errorTypes: [String: Int] = [:]
        var problems: [String] = []
        var encryptions: [Encryption] = []
    }

    private let state = Mutex(State())

    public init() {}

    func killed(_ kind: VictimKind) { state.withLock { $0.kills[kind, default: 0] += 1 } }
    func commandRan() { state.withLock { $0.commands += 1 } }
    func problem(_ text: String) { state.withLock { $0.problems.append(text) } }
    func refused() { state.withLock { $0.refused += 1 } }

    /// A request the server answered: with success, or with the KMS error `errorType`.
    func answered(errorType: String?) {
        state.withLock { state in
            state.requests += 1
            if let errorType { state.errorTypes[errorType, default: 0] += 1 } else { state.succeeded += 1 }
        }
    }

    func encrypted(_ encryption: Encryption) { state.withLock { $0.encryptions.append(encryption) } }

    /// A random earlier encryption, if any.
    func someEncryption(_ pick: (Int) -> Int) -> Encryption? {
        state.withLock { $0.encryptions.isEmpty ? nil : $0.encryptions[pick($0.encryptions.count)] }
    }

    public var kills: [VictimKind: Int] { state.withLock { $0.kills } }
    public var totalKills: Int { kills.values.reduce(0, +) }
    public var commands: Int { state.withLock { $0.commands } }
    public var requests: Int { state.withLock { $0.requests } }
    public var succeeded: Int { state.withLock { $0.succeeded } }
    public var refusedConnections: Int { state.withLock { $0.refused } }
    public var errorTypes: [String: Int] { state.withLock { $0.errorTypes } }
    public var problems: [String] { state.withLock { $0.problems } }
    public var encryptions: [Encryption] { state.withLock { $0.encryptions } }
}

/// The processes alive now that the killer may choose: pid by kind, with each one's start time, so that a pid
/// whose process ended (and which another process may have taken since) is never chosen.
final class Roster: Sendable {
    private struct Member {
        var kind: VictimKind
        var started: UInt64?
    }

    private let members = Mutex<[pid_t: Member]>([:])

    func add(_ pid: pid_t, _ kind: VictimKind) {
        let member = Member(kind: kind, started: ProcessStart.of(pid))
        members.withLock { $0[pid] = member }
    }

    func remove(_ pid: pid_t) { _ = members.withLock { $0.removeValue(forKey: pid) } }

    /// A kind chosen at random among those present, then one of its processes that is still the one added.
    func pick(using generator: inout SeededGenerator) -> (pid: pid_t, kind: VictimKind)? {
        let snapshot = members.withLock { $0 }.filter { $0.value.started != nil && ProcessStart.of($0.key) == $0.value.started }
        let kinds = Set(snapshot.values.map(\.kind)).sorted { $0.rawValue < $1.rawValue }
        guard let kind = kinds.randomElement(using: &generator) else { return nil }
        let pids = snapshot.filter { $0.value.kind == kind }.keys.sorted()
        return pids.randomElement(using: &generator).map { ($0, kind) }
    }
}
