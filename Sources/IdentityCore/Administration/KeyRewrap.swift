import Foundation
import Synchronization

/// `kubeid keys rewrap`: seals every stored private key (signing keys, clusters' local-account
/// CA keys) under the current key-encryption key: legacy PEM rows are sealed, rows sealed under
/// an older key-encryption key are re-sealed. Safe beside running instances and other rewraps:
/// a signing key is replaced only if its text is still what was read (compare-and-swap), a
/// cluster inside the store's atomic update; the private key itself never changes, so tokens
/// and certificates stay valid.
public struct KeyRewrap: Sendable {
    public struct Report: Sendable, Equatable {
        public var signingKeysSealed = 0
        public var clusterKeysSealed = 0
        public var alreadyCurrent = 0
    }

    let store: any IdentityStore
    let encryption: KeyEncryption

    public init(store: any IdentityStore, encryption: KeyEncryption) {
        self.store = store
        self.encryption = encryption
    }

    public func run() async throws -> Report {
        var report = Report()
        for record in try await store.signingKeys() {
            let context = KeyEncryption.signingKeyContext(record.keyID)
            guard let sealed = try encryption.rewrap(record.privateKeyPEM, context: context) else {
                report.alreadyCurrent += 1
                continue
            }
            if try await store.replaceSigningKeyPrivateKey(keyID: record.keyID, expected: record.privateKeyPEM,
                                                           replacement: sealed) {
                report.signingKeysSealed += 1
            } else {
                report.alreadyCurrent += 1  // removed, or re-sealed by a concurrent rewrap
            }
        }
        for tenant in try await store.listTenants() {
            for cluster in try await store.listClusters(tenantID: tenant.id) {
                let context = KeyEncryption.clusterCAContext(tenantID: cluster.tenantID, clusterObjectID: cluster.objectID)
                let encryption = encryption
                let changed = Flag()
                _ = try await store.updateCluster(tenantID: cluster.tenantID, objectID: cluster.objectID) { current in
                    if let sealed = try encryption.rewrap(current.localAccountCA.privateKeyPEM, context: context) {
                        current.localAccountCA.privateKeyPEM = sealed
                        changed.set()
                    }
                }
                if changed.value { report.clusterKeysSealed += 1 } else { report.alreadyCurrent += 1 }
            }
        }
        return report
    }
}

/// Raised from inside the store's update closure, which is `@Sendable`.
private final class Flag: Sendable {
    private let raised = Mutex(false)
    func set() { raised.withLock { $0 = true } }
    var value: Bool { raised.withLock { $0 } }
}
