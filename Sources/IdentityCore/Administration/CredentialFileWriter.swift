import Foundation

/// Writes a generated private key and its certificate into one PEM file, readable only by its
/// owner, the way `az ad sp create-for-rbac --create-cert` hands them over.
enum CredentialFileWriter {
    static func write(privateKeyPEM: String, certificatePEM: String, directory: String) throws -> String {
        let directoryURL = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        let path = directoryURL.appendingPathComponent("kubeid-sp-\(ObjectID.make().prefix(12)).pem").path
        let contents = Data((privateKeyPEM + (privateKeyPEM.hasSuffix("\n") ? "" : "\n") + certificatePEM).utf8)
        guard FileManager.default.createFile(atPath: path, contents: contents,
                                             attributes: [.posixPermissions: 0o600]) else {
            throw AdministrationError.invalidArgument("cannot write the certificate file into '\(directoryURL.path)'")
        }
        return path
    }
}
