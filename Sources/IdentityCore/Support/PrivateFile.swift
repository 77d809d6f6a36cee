import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files and directories holding secrets, created with their final mode by the system call that
/// creates them: `open(…, O_CREAT | O_EXCL | O_NOFOLLOW, 0600)` and `mkdir(…, 0700)`. There is
/// never a moment when a private key exists with the umask's wider mode waiting for a `chmod`,
/// and every failure (open, short write, fsync, close, rename) is an error, not ignored.
public enum PrivateFile {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Creates `path`, which must not exist yet, with mode 0600 and writes `contents`.
    public static func create(_ path: String, contents: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure("cannot create \(path): \(errorText())") }
        do {
            try writeAll(descriptor, contents, path: path)
        } catch {
            close(descriptor)
            unlink(path)
            throw error
        }
        guard close(descriptor) == 0 else {
            unlink(path)
            throw Failure("cannot write \(path): \(errorText())")
        }
    }

    /// Returns what `path` holds, creating it (0600) with `contents` first if it does not exist.
    /// Several processes may call this at once on a missing file (`serve` and an admin command
    /// started together): exactly one creates it and every caller gets that one's contents. The
    /// file appears by `link(2)` of a fully written temporary file, which fails if the name is
    /// taken, so nobody ever reads it empty or half written and nobody replaces another's.
    public static func createOnce(_ path: String, contents: [UInt8]) throws -> [UInt8] {
        if let existing = FileManager.default.contents(atPath: path) { return Array(existing) }
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try create(temporary, contents: contents)
        defer { unlink(temporary) }
        if link(temporary, path) == 0 { return contents }
        guard errno == EEXIST else { throw Failure("cannot create \(path): \(errorText())") }
        guard let existing = FileManager.default.contents(atPath: path) else {
            throw Failure("cannot read \(path): \(errorText())")
        }
        return Array(existing)
    }

    /// Replaces `path` atomically (a temporary file created with `mode`, then `rename`).
    /// `mode` is 0600 unless the file is public (certificates: 0644).
    public static func replace(_ path: String, contents: [UInt8], mode: mode_t = 0o600) throws {
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 0o600)
        guard descriptor >= 0 else { throw Failure("cannot write \(path): \(errorText())") }
        do {
            // Only ever widens a public file (0644), never a secret one; the umask may have
            // narrowed the creation mode, which is harmless.
            if mode != 0o600 { guard fchmod(descriptor, mode) == 0 else { throw Failure("cannot write \(path): \(errorText())") } }
            try writeAll(descriptor, contents, path: path)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard close(descriptor) == 0 else {
            unlink(temporary)
            throw Failure("cannot write \(path): \(errorText())")
        }
        guard rename(temporary, path) == 0 else {
            let reason = errorText()
            unlink(temporary)
            throw Failure("cannot write \(path): \(reason)")
        }
    }

    /// Creates `path` and any missing parents with mode 0700 (`mkdir`'s own mode, filtered only
    /// by the umask, which can narrow it but never widen it). An existing directory is kept.
    public static func makeDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw Failure("\(path) exists and is not a directory") }
            return
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if parent != path, !parent.isEmpty { try makeDirectory(parent) }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw Failure("cannot create directory \(path): \(errorText())")
        }
    }

    private static func writeAll(_ descriptor: Int32, _ contents: [UInt8], path: String) throws {
        var offset = 0
        while offset < contents.count {
            let written = contents.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure("cannot write \(path): \(errorText())")
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw Failure("cannot write \(path): \(errorText())") }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
