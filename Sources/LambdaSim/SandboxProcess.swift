#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A launched `bootstrap`: the leader of its own process group, stdin from `/dev/null`, stdout and stderr into pipes.
///
/// Signals go to the whole group (`kill(-pid, …)`), so everything the bootstrap started is stopped, continued and
/// killed with it. A dedicated thread reaps the leader (`waitpid`), so no zombie is left and no event loop or
/// cooperative thread blocks.
struct SandboxProcess: Sendable {
    /// A spawn that failed, with the `posix_spawn` error.
    struct SpawnError: Error, CustomStringConvertible {
        var path: String
        var code: Int32
        var description: String { "cannot launch \(path): \(String(cString: strerror(code)))" }
    }

    /// The leader's process id, which is also the process group id.
    let pid: pid_t
    /// Read ends of the stdout and stderr pipes (non-blocking; owned by the ``SandboxOutput`` reading them).
    let outputDescriptors: [Int32]

    /// Launches `path` with `arguments` and `environment` (`KEY=VALUE` strings) in a new process group, with the
    /// default disposition for the signals the simulator handles and an empty signal mask.
    static func spawn(path: String, arguments: [String], environment: [String]) throws -> SandboxProcess {
        let stdout = try makePipe()
        let stderr = try makePipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout.write, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr.write, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        close(stdout.write)
        close(stderr.write)
        guard result == 0 else {
            close(stdout.read)
            close(stderr.read)
            throw SpawnError(path: path, code: result)
        }
        return SandboxProcess(pid: pid, outputDescriptors: [stdout.read, stderr.read])
    }

    /// Sends `signal` to the process group.
    func signalGroup(_ signal: Int32) {
        kill(-pid, signal)
    }

    /// Sends SIGSTOP to the process group and returns once every thread of every process in it has stopped, so
    /// nothing the group does comes after the call: what it wrote is all there is until it is continued. Blocks the
    /// calling thread for at least one scan of `/proc` (every process's `stat`); gives up after `timeout`, since a
    /// thread in uninterruptible sleep stops only when that sleep ends. See ``ProcessGroupStop``.
    func stopGroup(timeout: Duration = .seconds(1)) {
        signalGroup(SIGSTOP)
        let deadline = ContinuousClock.now + timeout
        while !ProcessGroupStop.isComplete(group: pid), ContinuousClock.now < deadline {
            usleep(50)
        }
    }

    /// Reaps the leader on a dedicated thread and calls `onExit` there with `exit N` or `signal N`.
    func reap(onExit: @escaping @Sendable (String) -> Void) {
        let pid = self.pid
        DetachedThread.start {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 {
                guard errno == EINTR else {
                    onExit("unknown")
                    return
                }
            }
            let signal = status & 0x7f
            onExit(signal == 0 ? "exit \((status >> 8) & 0xff)" : "signal \(signal)")
        }
    }

    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { throw SpawnError(path: "pipe", code: errno) }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(descriptors[0], F_SETFL, fcntl(descriptors[0], F_GETFL) | O_NONBLOCK)
        return (descriptors[0], descriptors[1])
    }
}
