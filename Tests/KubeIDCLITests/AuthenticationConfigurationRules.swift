import Cryptography
import Foundation

/// The field rules kube-apiserver's `validation.go` applies to an `AuthenticationConfiguration`
/// (Kubernetes structured authentication configuration), over the YAML parsed into plain
/// dictionaries. Returns every violation.
enum AuthenticationConfigurationRules {
    static func violations(_ document: Any) -> [String] {
        var problems: [String] = []
        guard let root = document as? [String: Any] else { return ["not a mapping"] }
        if !["apiserver.config.k8s.io/v1beta1", "apiserver.config.k8s.io/v1"].contains(root["apiVersion"] as? String ?? "") {
            problems.append("apiVersion")
        }
        if root["kind"] as? String != "AuthenticationConfiguration" { problems.append("kind") }
        guard let jwt = root["jwt"] as? [[String: Any]], !jwt.isEmpty, jwt.count <= 64 else { return problems + ["jwt: 1-64 authenticators"] }
        var issuers: Set<String> = []
        for (index, authenticator) in jwt.enumerated() {
            let at = "jwt[\(index)]"
            guard let issuer = authenticator["issuer"] as? [String: Any], let url = issuer["url"] as? String,
                  let parsed = URLComponents(string: url) else { problems.append("\(at).issuer.url required"); continue }
            if parsed.scheme != "https" || parsed.user != nil || parsed.query != nil || parsed.fragment != nil || (parsed.host ?? "").isEmpty {
                problems.append("\(at).issuer.url must be https without user info, query or fragment")
            }
            if !issuers.insert(url).inserted { problems.append("\(at).issuer.url duplicated") }
            if let discovery = issuer["discoveryURL"] as? String, discovery == url { problems.append("\(at).issuer.discoveryURL equals url") }
            let audiences = issuer["audiences"] as? [String] ?? []
            if audiences.isEmpty { problems.append("\(at).issuer.audiences required") }
            if audiences.count > 1 && issuer["audienceMatchPolicy"] as? String != "MatchAny" { problems.append("\(at).audienceMatchPolicy") }
            if let ca = issuer["certificateAuthority"] as? String, (try? Certificate.parseAll(pem: ca))?.isEmpty != false {
                problems.append("\(at).issuer.certificateAuthority is not PEM")
            }
            for (ruleIndex, rule) in (authenticator["claimValidationRules"] as? [[String: Any]] ?? []).enumerated() {
                let claim = rule["claim"] as? String ?? "", expression = rule["expression"] as? String ?? ""
                if claim.isEmpty == expression.isEmpty { problems.append("\(at).claimValidationRules[\(ruleIndex)]: claim xor expression") }
                if rule["requiredValue"] != nil && claim.isEmpty { problems.append("\(at).claimValidationRules[\(ruleIndex)]: requiredValue needs claim") }
                if rule["message"] != nil && expression.isEmpty { problems.append("\(at).claimValidationRules[\(ruleIndex)]: message needs expression") }
            }
            guard let mappings = authenticator["claimMappings"] as? [String: Any] else { problems.append("\(at).claimMappings required"); continue }
            for field in ["username", "groups", "uid"] {
                guard let mapping = mappings[field] as? [String: Any] else {
                    if field == "username" { problems.append("\(at).claimMappings.username required") }
                    continue
                }
                let claim = mapping["claim"] as? String ?? "", expression = mapping["expression"] as? String ?? ""
                if field == "username" || !(claim.isEmpty && expression.isEmpty) {
                    if claim.isEmpty == expression.isEmpty { problems.append("\(at).claimMappings.\(field): claim xor expression") }
                }
                if !expression.isEmpty && mapping["prefix"] != nil { problems.append("\(at).claimMappings.\(field): prefix with expression") }
                if field == "username" && !claim.isEmpty && mapping["prefix"] == nil { problems.append("\(at).claimMappings.username: prefix required with claim") }
                if field == "uid" && mapping["prefix"] != nil { problems.append("\(at).claimMappings.uid has no prefix") }
                if expression.contains("claims.email") && !expression.contains("claims.email_verified") {
                    problems.append("\(at).claimMappings.\(field): claims.email needs claims.email_verified")
                }
            }
            for (extraIndex, extra) in (mappings["extra"] as? [[String: Any]] ?? []).enumerated() {
                let key = extra["key"] as? String ?? ""
                if !key.contains("/") || key != key.lowercased() || (extra["valueExpression"] as? String ?? "").isEmpty {
                    problems.append("\(at).claimMappings.extra[\(extraIndex)]")
                }
            }
            for (ruleIndex, rule) in (authenticator["userValidationRules"] as? [[String: Any]] ?? []).enumerated()
            where (rule["expression"] as? String ?? "").isEmpty {
                problems.append("\(at).userValidationRules[\(ruleIndex)].expression required")
            }
        }
        return problems
    }
}
