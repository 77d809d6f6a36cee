/// What kubeid knows of the device a sign-in comes from. Today only what the user agent says;
/// device identity (registered devices, compliance) fills the rest when it exists.
public struct SignInDevice: Sendable, Hashable, Codable {
    /// The registered device's `deviceId`, when the sign-in proved one.
    public var deviceID: String?
    public var displayName: String?
    public var isCompliant: Bool?
    public var isManaged: Bool?
    /// `Workplace` (registered) or `AzureAd` (joined).
    public var trustType: String?

    public init(deviceID: String? = nil, displayName: String? = nil, isCompliant: Bool? = nil,
                isManaged: Bool? = nil, trustType: String? = nil) {
        self.deviceID = deviceID
        self.displayName = displayName
        self.isCompliant = isCompliant
        self.isManaged = isManaged
        self.trustType = trustType
    }
}
