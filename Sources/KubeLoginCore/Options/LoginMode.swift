/// The `--login` values, exactly as upstream spells them, in its help order.
public enum LoginMode: String, Sendable, CaseIterable {
    case deviceCode = "devicecode"
    case interactive
    case servicePrincipal = "spn"
    case resourceOwnerPassword = "ropc"
    case managedIdentity = "msi"
    case azureCLI = "azurecli"
    case azureDeveloperCLI = "azd"
    case workloadIdentity = "workloadidentity"
    case azurePipelines = "azurepipelines"

    /// `devicecode, interactive, spn, …` as it appears in help and in the validation error.
    public static let supportedList = allCases.map(\.rawValue).joined(separator: ", ")
}
