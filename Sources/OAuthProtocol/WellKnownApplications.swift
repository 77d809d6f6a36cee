/// First-party application ids that AKS and kubelogin hard-code.
public enum WellKnownApplications {
    /// "Azure Kubernetes Service AAD Server": the audience of every AKS token (v1 tokens).
    public static let aksServerAppID = "6dae42f8-4368-4678-94ff-3960e28e3630"
    /// "Azure Kubernetes Service AAD Client": the public client kubelogin signs in with.
    public static let aksClientAppID = "80faf920-1908-4b52-b5ef-a8e7bedfc67a"
    /// Default audience of workload-identity (federated) assertions.
    public static let tokenExchangeAudience = "api://AzureADTokenExchange"
}
