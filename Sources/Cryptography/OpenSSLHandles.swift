import COpenSSL

/// Owns one `EVP_PKEY`; frees it when the last Swift value referring to it goes away.
///
/// `@unchecked Sendable` is safe because the key is never mutated after creation, and OpenSSL 3
/// allows concurrent sign/verify on one `EVP_PKEY` as long as each call has its own
/// `EVP_MD_CTX` (which ``PrivateKey/sign(_:algorithm:)`` and ``PublicKey`` verification do).
final class EVPKeyHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }
}

/// Owns one `X509`. `@unchecked Sendable` for the same reason as ``EVPKeyHandle``: it is
/// fully built before being wrapped and only read afterwards (OpenSSL 3 caches extension
/// flags under its own lock).
final class X509Handle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { X509_free(pointer) }
}
