#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rule every cache directory and file must pass before it is used: it belongs to the
/// current user and nobody else can write it. The cache holds refresh tokens; a directory or
/// file another user controls could hand us their tokens or take ours.
///
/// Callers open first (with `O_NOFOLLOW` where a link must not be followed) and check the
/// open descriptor with `fstat`, so what is checked is what is used.
enum CacheOwnership {
    enum Kind {
        case directory, regularFile
    }

    /// Opens `path` (`flags` plus `O_CLOEXEC`), relative to `directory` unless it is
    /// `AT_FDCWD`, and checks it; nil when it does not exist and `flags` does not create it.
    /// - Parameters:
    ///   - name: what `openat` opens: a name inside `directory`, or a path.
    ///   - shownPath: the full path, for the message.
    ///   - what: e.g. "token cache file", for the message.
    static func open(_ name: String, in directory: Int32 = AT_FDCWD, flags: Int32, mode: mode_t = 0,
                     kind: Kind, shownPath: String, what: String) throws -> Int32? {
        let fd = openat(directory, name, flags | O_CLOEXEC, mode)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            if code == ELOOP && flags & O_NOFOLLOW != 0 { throw refusal(what, shownPath, "it is a symbolic link") }
            if code == ENOTDIR && kind == .directory { throw refusal(what, shownPath, "it is not a directory") }
            throw KubeLoginError("cannot open the \(what) \(shownPath): \(String(cString: strerror(code)))")
        }
        do {
            try verify(fd, kind: kind, shownPath: shownPath, what: what)
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// Refuses `fd` unless it is a `kind` owned by the effective user and not writable by group or others.
    static func verify(_ fd: Int32, kind: Kind, shownPath: String, what: String) throws {
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw KubeLoginError("cannot inspect the \(what) \(shownPath): \(String(cString: strerror(errno)))")
        }
        let type = status.st_mode & S_IFMT
        switch kind {
        case .directory where type != S_IFDIR: throw refusal(what, shownPath, "it is not a directory")
        case .regularFile where type != S_IFREG: throw refusal(what, shownPath, "it is not a regular file")
        default: break
        }
        let user = geteuid()
        guard status.st_uid == user else {
            throw refusal(what, shownPath, "it is owned by uid \(status.st_uid), not by the current user (uid \(user))")
        }
        guard status.st_mode & 0o022 == 0 else {
            throw refusal(what, shownPath, "it is writable by group or others (mode 0\(String(status.st_mode & 0o7777, radix: 8)))")
        }
    }

    private static func refusal(_ what: String, _ path: String, _ reason: String) -> KubeLoginError {
        KubeLoginError("refusing the \(what) \(path): \(reason)")
    }
}
