import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Fires a signal whenever a file in a folder is written, so a process notices what other processes do
/// to the shared world at once and without polling (inotify on Linux). Elsewhere it polls twice a second.
final class FileChangeMonitor: Sendable {
    private let stopPipe: (read: Int32, write: Int32)

    init?(folder: URL, onChange: @escaping @Sendable () -> Void) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        stopPipe = (fds[0], fds[1])
        let stopRead = fds[0]
        #if canImport(Glibc)
        let inotify = inotify_init1(Int32(IN_CLOEXEC))
        guard inotify >= 0 else {
            close(fds[0]); close(fds[1])
            return nil
        }
        let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE)
        guard inotify_add_watch(inotify, folder.path, mask) >= 0 else {
            close(inotify); close(fds[0]); close(fds[1])
            return nil
        }
        let thread = Thread {
            var pollFds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: stopRead, events: Int16(POLLIN), revents: 0)]
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let ready = poll(&pollFds, 2, -1)
                if ready < 0 { if errno == EINTR { continue } else { break } }
                if pollFds[1].revents != 0 { break }
                if pollFds[0].revents != 0 {
                    _ = read(inotify, &buffer, buffer.count)
                    onChange()
                }
            }
            close(inotify)
            close(stopRead)
        }
        #else
        let thread = Thread {
            var pollFds = [pollfd(fd: stopRead, events: Int16(POLLIN), revents: 0)]
            while poll(&pollFds, 1, 500) == 0 { onChange() }
            close(stopRead)
        }
        #endif
        thread.name = "cks-world-monitor"
        thread.start()
    }

    deinit {
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
        close(stopPipe.write)
    }
}
