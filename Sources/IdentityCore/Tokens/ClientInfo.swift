import Cryptography
import OAuthProtocol

/// `client_info`: unpadded base64url of `{"uid":"<user oid>","utid":"<tenant id>"}`. MSAL builds
/// the account's `home_account_id` from it; MSAL Go insists on the unpadded form.
public enum ClientInfo {
    public static func encode(userObjectID: String, tenantID: String) -> String {
        Base64URL.encode(JSONValue.object([("uid", .string(userObjectID)), ("utid", .string(tenantID))]).serialized())
    }
}
