import Foundation
import IdentityCore
import KubernetesTypes
import OAuthProtocol

/// What `kubeid cluster apiserver-config` writes for kube-apiserver (1.30+):
///
/// | File | For |
/// |---|---|
/// | `authentication-config.yaml` | `--authentication-config`: kube-apiserver verifies kubeid tokens itself (structured JWT authenticator, `apiserver.config.k8s.io/v1beta1`) |
/// | `authn-webhook.kubeconfig` | `--authentication-token-webhook-config-file`: kubeid's TokenReview webhook (secret: the webhook token) |
/// | `authz-webhook.kubeconfig` | `--authorization-webhook-config-file`: kubeid's SubjectAccessReview webhook (secret) |
/// | `client-ca.crt` | `--client-ca-file`: the local-account CA (admin certificates); not written when local accounts are disabled |
/// | `admin-clusterrolebinding.yaml` | `kubectl apply`: the admin groups as `cluster-admin` (clusters without Azure RBAC) |
/// | `flags.txt` | the flags, with the files' paths |
struct APIServerConfigFiles {
    struct File: Equatable {
        var name: String
        var contents: String
        /// Mode 0600 (it holds the webhook token) rather than 0644.
        var secret: Bool
    }

    var cluster: IdentityCore.Cluster
    /// kubeid's public base URL, without a trailing slash.
    var issuerURL: String
    /// The CA that signed kubeid's TLS certificate; nil to rely on the host's trust store.
    var issuerCAPEM: String?
    var webhookToken: String?
    /// Where kube-apiserver will read the files (the paths `flags.txt` names).
    var directory: String

    static let authenticationConfiguration = "authentication-config.yaml"
    static let authenticationWebhook = "authn-webhook.kubeconfig"
    static let authorizationWebhook = "authz-webhook.kubeconfig"
    static let clientCA = "client-ca.crt"
    static let adminBinding = "admin-clusterrolebinding.yaml"
    static let flags = "flags.txt"

    /// `has(claims.upn) ? claims.upn : claims.oid`: people by UPN, service principals (whose
    /// tokens have no `upn`) by object id, as AKS's guard names them.
    static let usernameExpression = "has(claims.upn) ? claims.upn : claims.oid"
    /// An expression rather than `claim: groups`: with a claim, kube-apiserver tries to resolve
    /// the groups-overage marker as a distributed claim and fails authentication
    /// (docs/compatibility.md, Token claims); with an expression such a token simply has no groups
    /// here, and the authorization webhook still sees every group from the directory.
    static let groupsExpression = "has(claims.groups) ? claims.groups : []"

    /// The token version the AKS server app receives (its `accessTokenAcceptedVersion` is 1, as in
    /// Entra), whose issuer is the v1 `<issuer-url>/<tid>/` named above.
    static let serverTokenVersion = "1.0"

    /// CEL rules (kube-apiserver 1.30+) that every access token kubeid mints for a cluster meets
    /// and nothing else kubeid signs does, on top of the issuer and audience checks: a v1 token
    /// (ID tokens are v2), naming the client it was issued to (`appid` in v1, `azp` in v2; ID
    /// tokens name none), either delegated (`scp`) or app-only (`idtyp: app`), and without the
    /// OpenID Connect `nonce` only ID tokens carry. Each guards with `has()`: a missing claim
    /// is then a refusal with the message, not an evaluation error.
    static let accessTokenRules: [(expression: String, message: String)] = [
        ("has(claims.ver) && claims.ver == '\(serverTokenVersion)'",
         "token is not a v\(serverTokenVersion) access token for the AKS server application"),
        ("has(claims.appid) || has(claims.azp)", "token names no client application: not an access token"),
        ("has(claims.scp) || (has(claims.idtyp) && claims.idtyp == 'app')",
         "token is neither a delegated (scp) nor an app-only (idtyp: app) access token"),
        ("!has(claims.nonce)", "an ID token is not accepted"),
    ]

    var aadTenantID: String? { cluster.aadProfile?.tenantID }
    var webhookBase: String { "\(issuerURL)/webhooks\(cluster.resourceID)" }

    func files() -> [File] {
        // With local accounts disabled kube-apiserver need not trust the local-account CA at all,
        // so an admin certificate issued earlier (or with a stolen CA key) is useless there.
        var files: [File] = cluster.localAccountsDisabled ? []
            : [File(name: Self.clientCA, contents: cluster.localAccountCA.certificatePEM, secret: false)]
        if let profile = cluster.aadProfile {
            files.append(File(name: Self.authenticationConfiguration,
                              contents: KubeconfigYAMLWriter.emit(authenticationConfigurationValue(tenantID: profile.tenantID)),
                              secret: false))
            if let webhookToken {
                files.append(File(name: Self.authenticationWebhook,
                                  contents: webhookKubeconfig(path: "tokenreview", token: webhookToken), secret: true))
                files.append(File(name: Self.authorizationWebhook,
                                  contents: webhookKubeconfig(path: "subjectaccessreview", token: webhookToken), secret: true))
            }
            if !profile.adminGroupObjectIDs.isEmpty {
                files.append(File(name: Self.adminBinding, contents: KubeconfigYAMLWriter.emit(adminBindingValue(profile)),
                                  secret: false))
            }
        }
        files.append(File(name: Self.flags, contents: flagsText(), secret: false))
        return files
    }

    /// The `AuthenticationConfiguration` (apiserver.config.k8s.io/v1beta1, Kubernetes 1.30+).
    func authenticationConfigurationValue(tenantID: String) -> KubeconfigValue {
        var issuer: [KubeconfigMember] = [KubeconfigMember("url", .string("\(issuerURL)/\(tenantID)/"))]
        if let issuerCAPEM { issuer.append(KubeconfigMember("certificateAuthority", .string(issuerCAPEM))) }
        issuer.append(KubeconfigMember("audiences", .sequence([.string(cluster.acceptedAudience)])))
        let jwt: KubeconfigValue = .mapping([
            KubeconfigMember("issuer", .mapping(issuer)),
            KubeconfigMember("claimValidationRules", .sequence([
                .mapping([KubeconfigMember("claim", .string("tid")), KubeconfigMember("requiredValue", .string(tenantID))]),
            ] + Self.accessTokenRules.map { rule in
                .mapping([KubeconfigMember("expression", .string(rule.expression)), KubeconfigMember("message", .string(rule.message))])
            })),
            KubeconfigMember("claimMappings", .mapping([
                KubeconfigMember("username", .mapping([KubeconfigMember("expression", .string(Self.usernameExpression))])),
                KubeconfigMember("groups", .mapping([KubeconfigMember("expression", .string(Self.groupsExpression))])),
                KubeconfigMember("uid", .mapping([KubeconfigMember("claim", .string("oid"))])),
            ])),
            KubeconfigMember("userValidationRules", .sequence([
                .mapping([KubeconfigMember("expression", .string("!user.username.startsWith('system:')")),
                          KubeconfigMember("message", .string("username cannot use reserved system: prefix"))]),
            ])),
        ])
        return .mapping([
            KubeconfigMember("apiVersion", .string("apiserver.config.k8s.io/v1beta1")),
            KubeconfigMember("kind", .string("AuthenticationConfiguration")),
            KubeconfigMember("jwt", .sequence([jwt])),
        ])
    }

    func webhookKubeconfig(path: String, token: String) -> String {
        let caData = issuerCAPEM.map { Data($0.utf8).base64EncodedString() } ?? ""
        let config = Kubeconfig(
            clusters: [NamedCluster(name: "kubeid", cluster: KubeconfigCluster(server: "\(webhookBase)/\(path)",
                                                                               certificateAuthorityData: caData))],
            contexts: [NamedContext(name: "kubeid", context: KubeconfigContext(cluster: "kubeid", user: "kube-apiserver"))],
            users: [NamedUser(name: "kube-apiserver", user: KubeconfigUser(token: token))],
            currentContext: "kubeid")
        return KubeconfigYAMLWriter.yaml(for: config)
    }

    func adminBindingValue(_ profile: AADProfile) -> KubeconfigValue {
        .mapping([
            KubeconfigMember("apiVersion", .string("rbac.authorization.k8s.io/v1")),
            KubeconfigMember("kind", .string("ClusterRoleBinding")),
            KubeconfigMember("metadata", .mapping([KubeconfigMember("name", .string("kubeid-aad-cluster-admins"))])),
            KubeconfigMember("roleRef", .mapping([
                KubeconfigMember("apiGroup", .string("rbac.authorization.k8s.io")),
                KubeconfigMember("kind", .string("ClusterRole")),
                KubeconfigMember("name", .string("cluster-admin")),
            ])),
            KubeconfigMember("subjects", .sequence(profile.adminGroupObjectIDs.map { group in
                .mapping([KubeconfigMember("apiGroup", .string("rbac.authorization.k8s.io")),
                          KubeconfigMember("kind", .string("Group")), KubeconfigMember("name", .string(group))])
            })),
        ])
    }

    func flagsText() -> String {
        func path(_ name: String) -> String { "\(directory)/\(name)" }
        var lines = ["# kube-apiserver flags for cluster \(cluster.name) (\(cluster.resourceID)), written by kubeid."]
        if cluster.localAccountsDisabled {
            lines += ["# Local accounts are disabled: kubeid's local-account CA is not in --client-ca-file (remove it if an",
                      "# earlier client-ca.crt is still configured), so no admin client certificate is accepted."]
        } else {
            lines += ["# Local accounts: admin client certificates (O=system:masters) are verified against this CA.",
                      "--client-ca-file=\(path(Self.clientCA))"]
        }
        guard let profile = cluster.aadProfile else { return lines.joined(separator: "\n") + "\n" }
        if webhookToken != nil {
            lines += ["# Authentication: kubeid's TokenReview webhook (resolves group overage, refuses disabled users at once).",
                      "--authentication-token-webhook-config-file=\(path(Self.authenticationWebhook))",
                      "--authentication-token-webhook-version=v1",
                      "--authentication-token-webhook-cache-ttl=2m"]
        }
        lines += ["# Or instead, kube-apiserver verifies kubeid tokens itself (JWT authenticator, 1.30+):",
                  "#   --authentication-config=\(path(Self.authenticationConfiguration))"]
        if profile.azureRBACEnabled, webhookToken != nil {
            lines += ["# Authorization: Kubernetes RBAC first (system: users, discovery), then kubeid role assignments (Azure RBAC).",
                      "--authorization-mode=Node,RBAC,Webhook",
                      "--authorization-webhook-config-file=\(path(Self.authorizationWebhook))",
                      "--authorization-webhook-version=v1",
                      "--authorization-webhook-cache-authorized-ttl=5m",
                      "--authorization-webhook-cache-unauthorized-ttl=30s"]
        } else {
            lines += ["# Authorization: Kubernetes RBAC; apply \(Self.adminBinding) so the admin groups are cluster-admin.",
                      "--authorization-mode=Node,RBAC"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The webhook token in a kubeconfig written earlier, so running the command again keeps it.
    static func existingToken(in directory: String) -> String? {
        guard let data = FileManager.default.contents(atPath: "\(directory)/\(authenticationWebhook)"),
              let config = try? KubeconfigYAMLReader.read(String(decoding: data, as: UTF8.self)) else { return nil }
        return config.users.first.map(\.user.token).flatMap { $0.isEmpty ? nil : $0 }
    }
}
