/// A program could not be started, or a descriptor for it could not be made.
public struct SpawnFailed: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// How a process ended, decoded from waitpid's status.
public struct ExitStatus: Sendable, Equatable {
    /// The exit status, or the signal number when `bySignal`.
    public var code: Int32
    public var bySignal: Bool

    init(waitStatus raw: Int32) {
        if raw & 0x7f == 0 {
            code = (raw >> 8) & 0xff
            bySignal = false
        } else {
            code = raw & 0x7f
            bySignal = true
        }
    }

    /// Exit status 0.
    public var isSuccess: Bool { !bySignal && code == 0 }

    /// The shell's convention: the exit status, or 128 + the signal number.
    public var shellStatus: Int32 { bySignal ? 128 + code : code }
}
