import KeyStoreEngine
import Foundation

/// Prints what DescribeClusters says before a connect on AWS: the cluster's state, active HSMs per zone, and
/// what KMS is likely to object to.
struct PreflightPrinter {
    var style: TextStyle

    func show(_ preflight: ConnectPreflight) {
        let mark = preflight.unavailableReason != nil ? style.dim("?")
            : preflight.problems.isEmpty ? style.green(style.tick) : style.yellow("!")
        emit("\(mark) Preflight: \(preflight.summary)")
        for problem in preflight.problems {
            emit("  \(style.yellow(problem))")
        }
        FileHandle.standardOutput.synchronizeFile()
    }
}
