import Foundation

/// How stores keep a ``SignInRecord``: its Graph JSON, with the date as epoch milliseconds. The
/// creation time is also a column of its own (what the log is ordered by), which wins on read.
public enum SignInRecordCoding {
    public static func encode(_ record: SignInRecord) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        guard let text = String(data: try encoder.encode(record), encoding: .utf8) else {
            throw StoreError.invalidData("a sign-in record did not encode as UTF-8")
        }
        return text
    }

    public static func decode(_ json: String, createdAt: Date) throws -> SignInRecord {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        do {
            var record = try decoder.decode(SignInRecord.self, from: Data(json.utf8))
            record.createdDateTime = createdAt
            return record
        } catch {
            throw StoreError.invalidData("a stored sign-in record cannot be read: \(error)")
        }
    }
}

extension SignInPage {
    /// A page from up to `pageSize + 1` rows read newest first: the extra row only says that
    /// another page follows.
    public static func slicing(_ rows: [SignInRecord], pageSize: Int) -> SignInPage {
        guard rows.count > pageSize, let last = rows.prefix(pageSize).last else {
            return SignInPage(records: rows, next: nil)
        }
        return SignInPage(records: Array(rows.prefix(pageSize)), next: SignInCursor(createdAt: last.createdDateTime, id: last.id))
    }
}
