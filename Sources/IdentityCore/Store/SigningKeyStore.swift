import Foundation

/// Token-signing keys, shared by every issuer instance on one database.
public protocol SigningKeyStore: Sendable {
    /// Every stored key (published or not), oldest first.
    func signingKeys() async throws -> [SigningKeyRecord]
    /// Schedules `newKey` to become the signing key at `newKey.activatedAt` (now, or later for a
    /// pre-published key), compare-and-swap style: succeeds only if the latest key (the stored key
    /// with `activatedAt` set and `retiredAt` nil, active or still waiting for its activation
    /// time) is `expectedLatestKeyID` (nil = "there is no key").
    /// On success every key that would still sign at `newKey.activatedAt` (the latest one, and a
    /// key whose scheduled retirement is later, when an emergency rotation overtakes a
    /// pre-published one) gets `retiredAt` = `newKey.activatedAt` and `removeAfter` =
    /// `retiredRemoveAfter`, and `newKey` is inserted; so at any instant at most one key signs.
    /// `newKey.activatedAt` must be set and `newKey.retiredAt` nil (a programming error otherwise).
    /// Atomic across processes: of several concurrent calls expecting the same key, exactly one
    /// succeeds.
    /// Throws `StoreError.conflict` when another writer rotated first; the caller then reloads.
    /// Throws `StoreError.alreadyExists` when a key with `newKey.keyID` is stored already.
    func rotateSigningKey(expectedLatestKeyID: String?, newKey: SigningKeyRecord,
                          retiredRemoveAfter: Date) async throws
    /// Deletes keys whose `removeAfter` is at or before `now` (no longer published, see
    /// ``SigningKeyRecord/isPublished(at:)``), at most `limit` of them (none when `limit` <= 0).
    /// Returns how many.
    func deleteRemovedSigningKeys(now: Date, limit: Int) async throws -> Int
    /// Replaces the stored private-key text of `keyID` if it is still `expected`
    /// (compare-and-swap, for re-sealing under another key-encryption key: `kubeid keys
    /// rewrap`). Returns false when the key is gone or its text changed meanwhile.
    func replaceSigningKeyPrivateKey(keyID: String, expected: String, replacement: String) async throws -> Bool
}

extension SigningKeyStore {
    /// Stores that cannot re-seal keys (test doubles) refuse.
    public func replaceSigningKeyPrivateKey(keyID: String, expected: String, replacement: String) async throws -> Bool {
        throw StoreError.invalidData("this store cannot replace signing keys")
    }
}
