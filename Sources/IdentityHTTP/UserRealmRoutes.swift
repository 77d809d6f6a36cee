import Hummingbird
import OAuthProtocol

/// `GET /common/userrealm/{username}?api-version=1.0` (docs/compatibility.md, User grants): MSAL
/// asks before the password grant whether the user's domain is federated. kubeid's users are always
/// "Managed". The answer depends only on the domain typed, so it reveals nothing about which users
/// exist.
///
/// Limitation: MSAL Python sends this request to port 443 of the authority's host whatever port
/// the authority names, so ROPC through MSAL Python needs kubeid on 443 (or something answering there).
struct UserRealmRoutes {
    func register(on router: Router<IdentityRequestContext>) {
        // Registered under `{tenant}` rather than a literal `common`: Hummingbird's trie does not
        // backtrack, so a literal first segment would hide every `/{tenant}/…` route for
        // `common` (`/common/discovery/v2.0/keys` answered 404).
        for path in ["/{tenant}/userrealm/{username}", "/{tenant}/UserRealm/{username}"] {
            router.get(RouterPath(stringLiteral: path)) { _, context in
                guard try context.parameters.require("tenant").lowercased() == "common" else {
                    throw HTTPError(.notFound)
                }
                let username = try context.parameters.require("username")
                let domain = username.split(separator: "@").last.map(String.init) ?? username
                return EntraResponse.json(.object([
                    ("ver", .string("1.0")), ("account_type", .string("Managed")), ("domain_name", .string(domain)),
                    ("cloud_instance_name", .string("microsoftonline.com")),
                    ("cloud_audience_urn", .string("urn:federation:MicrosoftOnline")),
                ]))
            }
        }
    }
}
