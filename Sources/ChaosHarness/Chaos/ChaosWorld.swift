import CKSTestSupport
import Foundation

/// The world a run works on and how its processes are started: one CKS_HOME, demo pace, a UTF-8 locale.
struct ChaosWorld: Sendable {
    let cks: URL
    let home: URL
    let file: WorldFile

    init(cks: URL, home: URL) {
        self.cks = cks
        self.home = home
        file = WorldFile(home: home)
    }

    /// The environment of every cks of the run.
    func environment(pace: String = "demo") -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["NO_COLOR", "CKS_PACE", "XDG_DATA_HOME", "LC_CTYPE", "LANG"] { environment[name] = nil }
        environment["CKS_HOME"] = home.path
        environment["CKS_PACE"] = pace
        environment["LC_ALL"] = "C.UTF-8"
        environment["TERM"] = "xterm-256color"
        return environment
    }

    /// Starts `cks arguments`.
    func start(_ arguments: [String], pace: String = "demo") throws -> ChildProcess {
        try ChildProcess(cks.path, arguments, environment: environment(pace: pace), stopsWhenDropped: true,
                         label: "cks " + arguments.joined(separator: " "))
    }

    /// Runs `cks arguments` to its end (at most `seconds`); nil when it had to be killed.
    func run(_ arguments: [String], pace: String = "instant", seconds: Double = 120) throws -> (exit: ExitStatus, stdout: String, stderr: String)? {
        let child = try start(arguments, pace: pace)
        guard let exit = child.waitForEnd(seconds: seconds) else {
            child.send(SIGKILL)
            return nil
        }
        return (exit, child.stdout, child.stderr)
    }
}
