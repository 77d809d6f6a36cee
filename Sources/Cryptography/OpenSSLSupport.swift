import COpenSSL

/// Small helpers shared by the OpenSSL-backed types.
enum OpenSSL {
    /// Drains this thread's OpenSSL error queue into one line and leaves it empty.
    ///
    /// Draining matters beyond logging: OpenSSL's queue is thread-local and never cleared by
    /// libjwt, so a stale entry could make a later, unrelated call on this thread look failed.
    static func drainErrors() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.joined(separator: "; ")
    }

    static func failure(_ what: String, file: String = #fileID, line: Int = #line) -> CryptoError {
        let detail = drainErrors()
        return CryptoError.openSSLFailure(detail.isEmpty ? what : "\(what): \(detail)", file: file, line: line)
    }

    /// A fresh memory BIO holding a copy of `bytes`.
    static func memoryBIO(_ bytes: [UInt8]) throws -> OpaquePointer {
        guard let bio = BIO_new(BIO_s_mem()) else { throw failure("BIO_new") }
        if !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { BIO_write(bio, $0.baseAddress, Int32($0.count)) }
            guard written == Int32(bytes.count) else {
                BIO_free(bio)
                throw failure("BIO_write")
            }
        }
        return bio
    }

    /// Runs `body` with an empty memory BIO and returns whatever it wrote.
    static func writingToBIO(_ body: (OpaquePointer) -> Int32) throws -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw failure("BIO_new") }
        defer { BIO_free(bio) }
        guard body(bio) > 0 else { throw failure("writing to BIO") }
        var data: UnsafeMutablePointer<CChar>? = nil
        let length = cossl_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }

    /// Big-endian bytes of a BIGNUM, left-padded to `width` when given.
    static func bytes(of bn: OpaquePointer, width: Int? = nil) -> [UInt8] {
        let count = width ?? Int(cossl_BN_num_bytes(bn))
        var out = [UInt8](repeating: 0, count: count)
        if width != nil {
            _ = BN_bn2binpad(bn, &out, Int32(count))
        } else {
            _ = BN_bn2bin(bn, &out)
        }
        return out
    }

    /// A PEM password callback that always fails, so an encrypted key is an error rather than
    /// an interactive terminal prompt from OpenSSL's default callback.
    static let refusePassword: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = { _, _, _, _ in -1 }
}
