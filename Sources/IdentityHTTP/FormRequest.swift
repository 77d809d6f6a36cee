import Foundation
import Hummingbird
import NIOCore

/// Form fields of page and OAuth requests, parsed strictly with ``FormBody`` (duplicates and bad
/// escapes are errors).
enum FormRequest {
    struct Invalid: Error {}

    /// The `application/x-www-form-urlencoded` body, at most `limit` bytes.
    static func body(_ request: Request, limit: Int = 16 * 1024) async throws -> [String: String] {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else { throw Invalid() }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw Invalid()
        }
        do {
            return try FormBody.parse(Array(buffer: buffer))
        } catch {
            throw Invalid()
        }
    }

    /// The query string's parameters (a parameter sent twice is an error).
    static func query(_ request: Request) throws -> [String: String] {
        guard let query = request.uri.query, !query.isEmpty else { return [:] }
        guard query.utf8.count <= 16 * 1024 else { throw Invalid() }
        do {
            return try FormBody.parse(Array(query.utf8))
        } catch {
            throw Invalid()
        }
    }
}
