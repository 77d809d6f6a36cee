import Foundation
import IdentityCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The file steps a backup and a restore are made of, each checked: a private (0600) file
/// created by `open` itself, a streamed copy, `fsync` of a file and of its directory (so a
/// `rename` survives a power loss), and removal of a database with its `-journal`, `-wal` and
/// `-shm` companions.
enum DurableFile {
    /// Creates `path`, which must not exist, empty and with mode 0600.
    static func createPrivate(_ path: String) throws {
        do {
            try PrivateFile.create(path, contents: [])
        } catch {
            throw StoreError.unavailable("\(error)")
        }
    }

    /// Copies `source` into the existing private file `destination`, then syncs it.
    static func copy(_ source: String, into destination: String) throws {
        guard let input = FileHandle(forReadingAtPath: source) else {
            throw StoreError.notFound("cannot read \(source): \(errorText())")
        }
        defer { try? input.close() }
        let descriptor = open(destination, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError.unavailable("cannot write \(destination): \(errorText())") }
        defer { close(descriptor) }
        while true {
            let chunk: Data
            do {
                chunk = try input.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw StoreError.unavailable("cannot read \(source): \(error)")
            }
            if chunk.isEmpty { break }
            try chunk.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw StoreError.unavailable("cannot write \(destination): \(errorText())")
                    }
                    offset += written
                }
            }
        }
        guard fsync(descriptor) == 0 else { throw StoreError.unavailable("cannot write \(destination): \(errorText())") }
    }

    /// Flushes `path` (a file or a directory) to stable storage.
    static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError.unavailable("cannot open \(path): \(errorText())") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StoreError.unavailable("cannot sync \(path): \(errorText())") }
    }

    /// Renames `source` to `destination` (same directory, so atomic) and syncs the directory.
    static func move(_ source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else {
            throw StoreError.unavailable("cannot rename \(source) to \(destination): \(errorText())")
        }
        try sync(directory(of: destination))
    }

    /// Removes a database file and whatever SQLite kept beside it; missing files are fine.
    static func removeDatabase(_ path: String) {
        for file in [path, path + "-journal", path + "-wal", path + "-shm"] {
            unlink(file)
        }
    }

    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    static func directory(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// A name for a temporary file beside `path` that no other process picks.
    static func temporaryName(beside path: String, purpose: String) -> String {
        "\(path).\(purpose)-\(getpid())-\(UInt32.random(in: 0 ... .max))"
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
