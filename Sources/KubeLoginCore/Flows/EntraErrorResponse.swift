/// An OAuth error from the token or device-code endpoint (docs/compatibility.md, Error bodies).
public struct EntraErrorResponse: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    /// `invalid_grant`, `authorization_pending`, …
    public var error: String
    public var errorDescription: String
    public var errorCodes: [Int]

    public init(status: Int, error: String, errorDescription: String = "", errorCodes: [Int] = []) {
        self.status = status
        self.error = error
        self.errorDescription = errorDescription
        self.errorCodes = errorCodes
    }

    init?(response: HTTPResponse) {
        guard let object = JSONObject(bytes: response.body), let error = object.string("error") else { return nil }
        self.init(status: response.status, error: error, errorDescription: object.string("error_description") ?? "",
                  errorCodes: (object.members["error_codes"] as? [Any])?.compactMap { ($0 as? Int) } ?? [])
    }

    /// `invalid_grant: AADSTS70008: …` — the first line only; Entra's trace trailer is noise here.
    public var description: String {
        let firstLine = errorDescription.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return firstLine.isEmpty ? error : "\(error): \(firstLine)"
    }
}
