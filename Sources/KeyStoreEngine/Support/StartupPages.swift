#if canImport(Glibc)
import Glibc
#endif

/// Gives back the executable's code pages that start-up mapped in.
///
/// cks is one large binary, and the kernel maps its code 64 KiB around every page that runs: argument
/// parsing, module set-up, the dynamic linker's relocation tables and the Swift runtime's first scans of
/// every module's metadata leave 10 MiB or more of code resident that a long-running `cks serve` or
/// console never runs again. Once start-up is over, `release()` drops this process's mapping of those pages
/// (`MADV_DONTNEED` on the read-only, never-written code segment); the pages it runs afterwards come back
/// from the page cache on first use. Segments that were written to (relocated data, a debugger's
/// breakpoints) are never touched, and nothing happens on other systems.
public enum StartupPages {
    /// Drops the executable's untouched code pages from the resident set; returns the KiB that were resident.
    @discardableResult
    public static func release() -> Int {
        #if os(Linux)
        guard let executable = executablePath(), let smaps = readFile("/proc/self/smaps") else { return 0 }
        var released = 0
        for mapping in codeMappings(smaps, executable: executable) {
            guard let start = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            if madvise(start, mapping.end - mapping.start, MADV_DONTNEED) == 0 { released += mapping.residentKiB }
        }
        return released
        #else
        return 0
        #endif
    }

    /// A mapping of the executable that is read and execute only and holds no page written since it was
    /// mapped (no `Anonymous` copy): what `MADV_DONTNEED` can drop without losing anything.
    struct Mapping: Equatable {
        var start: Int
        var end: Int
        var residentKiB: Int
    }

    /// Reads `/proc/self/smaps` text: the executable's clean `r-xp` mappings.
    static func codeMappings(_ smaps: String, executable: String) -> [Mapping] {
        var found: [Mapping] = []
        var current: (mapping: Mapping, clean: Bool)?
        func finish() {
            if let current, current.clean { found.append(current.mapping) }
            current = nil
        }
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), !first.hasSuffix(":") {
                finish()
                let bounds = first.split(separator: "-")
                guard fields.count >= 6, fields[1] == "r-xp", fields[5...].joined(separator: " ") == executable,
                      bounds.count == 2, let start = Int(bounds[0], radix: 16), let end = Int(bounds[1], radix: 16), end > start
                else { continue }
                current = (Mapping(start: start, end: end, residentKiB: 0), true)
            } else if current != nil, fields.count >= 2, let value = Int(fields[1]) {
                switch fields[0] {
                case "Rss:": current?.mapping.residentKiB = value
                // A page this process wrote is a private anonymous copy; "Dirty" alone may be the file's own page
                // not yet written back to disk.
                case "Anonymous:": if value > 0 { current?.clean = false }
                default: break
                }
            }
        }
        finish()
        return found
    }

    /// This process's resident set in KiB (`/proc/self/statm`), or nil where there is none to read.
    public static func residentKiB() -> Int? {
        #if os(Linux)
        guard let statm = readFile("/proc/self/statm") else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * sysconf(Int32(_SC_PAGESIZE)) / 1024
        #else
        return nil
        #endif
    }

    #if os(Linux)
    private static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func readFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    #endif
}
