/// `--environment`: a public cloud name, matched case-insensitively. Anything else (typos, the
/// empty string, `AzureStackCloud`) silently means the public cloud, as in upstream v0.2.x.
public enum CloudEnvironment {
    public static let publicCloudHost = "https://login.microsoftonline.com/"

    public static func authorityHost(forEnvironment name: String) -> String {
        switch name.lowercased() {
        case "azureusgovernment", "azureusgovernmentcloud": return "https://login.microsoftonline.us/"
        case "azurechinacloud": return "https://login.chinacloudapi.cn/"
        default: return publicCloudHost
        }
    }

    /// Hosts whose instance metadata Entra itself answers for (no discovery call needed).
    static let knownHosts: Set<String> = [
        "login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net",
        "login.microsoftonline.us", "login.usgovcloudapi.net", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn",
    ]
}
