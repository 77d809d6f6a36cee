/// First-party application ids that AKS, kubelogin and the Microsoft Graph SDKs hard-code.
public enum WellKnownApplications {
    /// "Azure Kubernetes Service AAD Server": the audience of every AKS token (v1 tokens).
    public static let aksServerAppID = "6dae42f8-4368-4678-94ff-3960e28e3630"
    /// "Azure Kubernetes Service AAD Client": the public client kubelogin signs in with.
    public static let aksClientAppID = "80faf920-1908-4b52-b5ef-a8e7bedfc67a"
    /// Default audience of workload-identity (federated) assertions.
    public static let tokenExchangeAudience = "api://AzureADTokenExchange"
    /// "Microsoft Graph": the resource of kubeid's admin API.
    public static let graphAppID = "00000003-0000-0000-c000-000000000000"
    /// The identifier URI clients name Graph by (`https://graph.microsoft.com/.default`).
    public static let graphIdentifierURI = "https://graph.microsoft.com"
    /// "Microsoft Graph Command Line Tools": the public client of the Graph PowerShell SDK and
    /// CLI, which people sign in with to call Graph with delegated scopes.
    public static let graphCommandLineToolsAppID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
}
