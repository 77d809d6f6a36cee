/// The device authorization response (RFC 8628 §3.2; docs/compatibility.md, Device code): v2 with
/// integers and `verification_uri`, v1 (ADAL) with strings and `verification_url`.
public struct DeviceAuthorizationResponse: Sendable, Equatable {
    public var deviceCode: String
    public var userCode: String
    public var verificationURI: String
    public var expiresIn: Int
    public var interval: Int

    public init(deviceCode: String, userCode: String, verificationURI: String, expiresIn: Int, interval: Int) {
        self.deviceCode = deviceCode
        self.userCode = userCode
        self.verificationURI = verificationURI
        self.expiresIn = expiresIn
        self.interval = interval
    }

    /// Entra's wording, identical in every recording.
    public var message: String {
        "To sign in, use a web browser to open the page \(verificationURI) and enter the code \(userCode) to authenticate."
    }

    public func jsonObject(for version: EndpointVersion) -> JSONValue {
        switch version {
        case .v2:
            return .object([("user_code", .string(userCode)), ("device_code", .string(deviceCode)),
                            ("verification_uri", .string(verificationURI)), ("expires_in", .integer(expiresIn)),
                            ("interval", .integer(interval)), ("message", .string(message))])
        case .v1:
            return .object([("user_code", .string(userCode)), ("device_code", .string(deviceCode)),
                            ("verification_url", .string(verificationURI)), ("expires_in", .string(String(expiresIn))),
                            ("interval", .string(String(interval))), ("message", .string(message))])
        }
    }
}
