import Foundation

/// File operations with the permissions kubeid promises: directories 0700, secret files 0600,
/// written atomically (temporary file + rename) and never readable by others even for a moment.
enum FileSystem {
    static func makeDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CLIError("\(path) exists and is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw CLIError("cannot create directory \(path): \(error.localizedDescription)")
        }
    }

    /// Writes `contents` to `path` with mode 0600 via a temporary file and rename.
    static func writeSecretFile(_ path: String, contents: String) throws {
        let temporary = "\(path).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CLIError("cannot write \(path)")
        }
    }

    /// Writes a public file (certificates): mode 0644, atomically.
    static func writePublicFile(_ path: String, contents: String) throws {
        try writeSecretFile(path, contents: contents)
        chmod(path, 0o644)
    }
}
