import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Asks on the controlling terminal (`/dev/tty`), as the aws CLI asks for an MFA code with `getpass`: the
/// question on the terminal, the answer read without echo. Nil when there is no terminal.
public enum TerminalPrompt {
    public static let mfaCode: MFACodePrompt = { serial in
        await ask("Enter MFA code for \(serial): ")
    }

    public static func ask(_ question: String) async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: askBlocking(question)) }
        }
    }

    private static func askBlocking(_ question: String) -> String? {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var saved = termios()
        let hasTerminal = tcgetattr(fd, &saved) == 0
        if hasTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        defer { if hasTerminal { tcsetattr(fd, TCSAFLUSH, &saved) } }
        _ = question.withCString { write(fd, $0, strlen($0)) }
        var answer: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
            answer.append(byte)
        }
        _ = "\n".withCString { write(fd, $0, 1) }
        return String(decoding: answer, as: UTF8.self)
    }
}
