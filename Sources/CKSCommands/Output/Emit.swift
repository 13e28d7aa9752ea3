import Foundation

/// Writes a line to standard output at once, unbuffered, so that progress streams through a pipe or into a
/// file as it happens (`print` is block-buffered when standard output is not a terminal).
func emit(_ line: String = "") {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
