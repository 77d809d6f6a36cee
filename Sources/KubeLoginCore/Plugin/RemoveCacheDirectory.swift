import Foundation

/// `remove-cache-dir` / `remove-tokens`: delete the cache directory and everything kubeid put
/// in it (auth.json, the token entries and their locks). A missing directory is success.
public enum RemoveCacheDirectory {
    public static func run(_ directory: String) throws {
        guard FileManager.default.fileExists(atPath: directory) else { return }
        do {
            try FileManager.default.removeItem(atPath: directory)
        } catch {
            throw KubeLoginError("unable to delete authentication record cache in \(GoQuote.quote(directory)): \((error as NSError).localizedDescription)")
        }
    }
}
