#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// File operations for the cache: private directories (0700), private files (0600) written by
/// atomic rename, so a reader never sees half a file and a crash never leaves one.
public enum PrivateFiles {
    /// Creates `path` and missing parents with mode 0700. An existing directory is left as it
    /// is (``FileTokenCache`` checks and tightens its own).
    public static func makeDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw KubeLoginError("\(path) exists and is not a directory") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try makeDirectory(parent) }
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw KubeLoginError("mkdir \(path): \(String(cString: strerror(errno)))")
        }
        chmod(path, 0o700)  // mkdir's mode is filtered by the umask
    }

    /// Writes `bytes` to `path` through a temporary file in the same directory and `rename(2)`.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = "\(directory)/.\((path as NSString).lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw KubeLoginError("open \(temporary): \(String(cString: strerror(errno)))") }
        var failure: String? = nil
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = "write \(temporary): \(String(cString: strerror(errno)))"
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = "fsync \(temporary): \(String(cString: strerror(errno)))" }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = "rename \(temporary): \(String(cString: strerror(errno)))" }
        if let failure {
            unlink(temporary)
            throw KubeLoginError(failure)
        }
    }

    /// The whole file, or nil if it cannot be read.
    public static func contents(of path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return contents(of: fd)
    }

    /// The whole file at `path` if it passes ``CacheOwnership`` and is not a symbolic link;
    /// nil otherwise (for files whose absence is as good as a refusal, such as `auth.json`).
    static func privateContents(of path: String) -> [UInt8]? {
        guard let fd = try? CacheOwnership.open(path, flags: O_RDONLY | O_NOFOLLOW, kind: .regularFile,
                                                shownPath: path, what: "cache file") else { return nil }
        defer { close(fd) }
        return contents(of: fd)
    }

    /// The rest of the open file `fd` (at most 4 MiB), or nil.
    static func contents(of fd: Int32) -> [UInt8]? {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            result.append(contentsOf: buffer[0..<count])
            if result.count > 4 * 1024 * 1024 { return nil }
        }
        return result
    }
}
