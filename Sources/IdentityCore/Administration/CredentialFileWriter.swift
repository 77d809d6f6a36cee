import Foundation

/// Writes a generated private key and its certificate into one PEM file, readable only by its
/// owner, the way `az ad sp create-for-rbac --create-cert` hands them over. The file is created
/// with mode 0600 by `open` itself (``PrivateFile``), never widened by the umask first.
enum CredentialFileWriter {
    static func write(privateKeyPEM: String, certificatePEM: String, directory: String) throws -> String {
        let directoryURL = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        let path = directoryURL.appendingPathComponent("kubeid-sp-\(ObjectID.make().prefix(12)).pem").path
        let contents = Array((privateKeyPEM + (privateKeyPEM.hasSuffix("\n") ? "" : "\n") + certificatePEM).utf8)
        do {
            try PrivateFile.create(path, contents: contents)
        } catch {
            throw AdministrationError.invalidArgument("cannot write the certificate file into '\(directoryURL.path)': \(error)")
        }
        return path
    }
}
