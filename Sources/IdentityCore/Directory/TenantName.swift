/// Rules for tenant names: they appear in URL paths in place of the GUID, so they use the
/// characters the Microsoft clients accept in a tenant (`[A-Za-z0-9.-]`, azure-identity's
/// `validate_tenant_id`) and must not look like a GUID or an Entra alias.
public enum TenantName {
    static let reserved: Set<String> = ["common", "organizations", "consumers", "adfs", "devicelogin", "error",
                                        "healthz", "metrics", "v1.0", "oidc", "discovery", "webhooks", "admin",
                                        // First path segments of kubeid's own routes (a tenant named so would be unreachable).
                                        "static"]

    public static func isValid(_ name: String) -> Bool {
        guard (1...64).contains(name.count), ObjectID.canonical(name) == nil,
              !reserved.contains(name.lowercased()) else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
    }
}
