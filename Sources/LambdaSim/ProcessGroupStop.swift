#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a process group that was sent SIGSTOP has come to a stop, read from `/proc`.
///
/// `kill(-pgid, SIGSTOP)` returns as soon as the signal is queued: each thread of each process in the group stops
/// when it is next scheduled, which on a loaded machine can be milliseconds later, and meanwhile it keeps running.
/// Lambda's freeze is complete before the environment counts as frozen, so the simulator waits for this.
enum ProcessGroupStop {
    /// True once every thread of every process in group `group` is stopped or dead (`T`, `t`, `Z` or `X` in its
    /// `stat`). Always true where there is no `/proc` to read (macOS): there the stop is only requested.
    static func isComplete(group: pid_t) -> Bool {
        guard let processes = opendir("/proc") else { return true }
        defer { closedir(processes) }
        while let entry = readdir(processes) {
            guard let pid = numericName(entry), let stat = readStat("/proc/\(pid)/stat"), stat.group == group else {
                continue
            }
            if !threadsStopped(of: pid) { return false }
        }
        return true
    }

    private static func threadsStopped(of pid: pid_t) -> Bool {
        guard let threads = opendir("/proc/\(pid)/task") else { return true }  // exited meanwhile
        defer { closedir(threads) }
        while let entry = readdir(threads) {
            guard let tid = numericName(entry), let stat = readStat("/proc/\(pid)/task/\(tid)/stat") else { continue }
            if !"TtZX".utf8.contains(stat.state) { return false }
        }
        return true
    }

    /// A directory entry's name as a process or thread id; nil for `.`, `..` and everything else not numeric.
    private static func numericName(_ entry: UnsafeMutablePointer<dirent>) -> pid_t? {
        withUnsafeBytes(of: entry.pointee.d_name) { name in
            pid_t(String(decoding: name.prefix { $0 != 0 }, as: UTF8.self))
        }
    }

    /// The state letter and the process group of a `stat` file: `pid (comm) S ppid pgrp …`. The command name may hold
    /// spaces and parentheses, so the fields are counted from its last `)`; it is at most 16 bytes, so the fields
    /// needed are always within the first 512 bytes.
    private static func readStat(_ path: String) -> (state: UInt8, group: pid_t)? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0, let commandEnd = buffer[..<count].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = buffer[(commandEnd + 1)..<count].split(separator: UInt8(ascii: " "), maxSplits: 3)
        guard fields.count >= 3, let state = fields[0].first,
              let group = pid_t(String(decoding: fields[2], as: UTF8.self))
        else { return nil }
        return (state, group)
    }
}
