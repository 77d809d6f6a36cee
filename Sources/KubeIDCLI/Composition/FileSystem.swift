import Foundation
import IdentityCore

/// File operations with the permissions kubeid promises: directories 0700, secret files 0600,
/// written atomically (temporary file + rename) and created with that mode by `open`/`mkdir`
/// themselves, so never readable by others even for a moment (``PrivateFile``).
enum FileSystem {
    static func makeDirectory(_ path: String) throws {
        do {
            try PrivateFile.makeDirectory(path)
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// Writes `contents` to `path` with mode 0600 via a temporary file and rename.
    static func writeSecretFile(_ path: String, contents: String) throws {
        do {
            try PrivateFile.replace(path, contents: Array(contents.utf8))
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// Writes a public file (certificates): mode 0644, atomically.
    static func writePublicFile(_ path: String, contents: String) throws {
        do {
            try PrivateFile.replace(path, contents: Array(contents.utf8), mode: 0o644)
        } catch {
            throw CLIError("\(error)")
        }
    }
}
