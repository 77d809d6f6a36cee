import Cryptography
import Foundation

extension DirectoryAdministration {
    /// Registers a cluster with a fresh local-account CA (the seed's `az aks create`).
    ///
    /// Rules (AKS's documented limitations): `--enable-aad` needs Kubernetes RBAC; an AAD
    /// cluster needs an admin group or the explicit `acknowledgeNoAdminGroups`; Azure RBAC and
    /// disabling local accounts need AAD; admin groups must be groups of the AAD tenant. An own
    /// `audience` needs AAD and is registered with the AKS server app of the AAD tenant.
    public func createCluster(tenant idOrName: String, _ registration: ClusterRegistration) async throws -> Cluster {
        let tenant = try await tenant(idOrName)
        guard ClusterName.isValid(registration.name) else {
            throw AdministrationError.invalidArgument("\(field: "name") '\(registration.name)' is not a valid cluster name: use 1-63 letters, digits, '-' and '_', starting and ending with a letter or digit")
        }
        let server = try Self.checkServer(registration.server)
        let caPEM = try registration.certificateAuthorityPEM.map(Self.checkCertificateAuthority)
        if registration.disableRBAC && registration.enableAAD {
            throw AdministrationError.invalidArgument("\(field: "enableAAD") requires Kubernetes RBAC: it cannot be combined with \(field: "disableRBAC")")
        }
        var profile: AADProfile?
        if registration.enableAAD {
            profile = try await aadProfile(clusterTenantID: tenant.id, aadTenantID: registration.aadTenantID,
                                           adminGroups: registration.adminGroupObjectIDs ?? [],
                                           acknowledged: registration.acknowledgeNoAdminGroups,
                                           azureRBAC: registration.enableAzureRBAC)
        } else {
            if registration.adminGroupObjectIDs != nil || registration.aadTenantID != nil {
                throw AdministrationError.invalidArgument("\(field: "aadAdminGroupObjectIDs") and \(field: "aadTenantID") need \(field: "enableAAD")")
            }
            if registration.enableAzureRBAC {
                throw AdministrationError.invalidArgument("\(field: "enableAzureRBAC") needs \(field: "enableAAD")")
            }
        }
        if registration.disableLocalAccounts && profile == nil {
            throw AdministrationError.invalidArgument("\(field: "disableLocalAccounts") needs \(field: "enableAAD"): without AAD, local accounts are the only way in")
        }
        let audience = try registration.audience.map(Self.checkAudience)
        if audience != nil && profile == nil {
            throw AdministrationError.invalidArgument("\(field: "audience") needs \(field: "enableAAD"): only AAD clusters accept kubeid tokens")
        }
        let now = clock.now()
        let objectID = ObjectID.make()
        let cluster = Cluster(tenantID: tenant.id, objectID: objectID, name: registration.name, server: server,
                              certificateAuthorityPEM: caPEM, aadProfile: profile, rbacEnabled: !registration.disableRBAC,
                              localAccountsDisabled: registration.disableLocalAccounts,
                              localAccountCA: try makeLocalAccountCA(clusterName: registration.name, tenantID: tenant.id,
                                                                     clusterObjectID: objectID),
                              webhookTokenHash: nil, audience: audience, createdAt: now, updatedAt: now)
        if let audience, let profile { try await registerClusterAudience(audience, aadTenantID: profile.tenantID) }
        do {
            try await store.createCluster(cluster)
        } catch {
            if let audience, let profile { try? await unregisterClusterAudience(audience, aadTenantID: profile.tenantID) }
            if let error = error as? StoreError, error.code == .alreadyExists {
                throw AdministrationError.alreadyExists("a cluster named '\(registration.name)' already exists in tenant '\(tenant.name)'")
            }
            throw error
        }
        await recordChange("cluster.created", tenantID: tenant.id, subject: cluster.resourceID,
                           details: Self.auditDetails(cluster))
        return cluster
    }

    /// Changes a cluster's settings (`az aks update`). AAD cannot be turned off once on; the
    /// other rules are those of ``createCluster(tenant:_:)``.
    public func updateCluster(tenant idOrName: String, name: String, _ update: ClusterUpdate) async throws -> Cluster {
        let tenant = try await tenant(idOrName)
        let existing = try await requireCluster(tenantID: tenant.id, name: name)
        var profile = existing.aadProfile
        if update.enableAAD && !existing.rbacEnabled {
            throw AdministrationError.invalidArgument("\(field: "enableAAD") requires Kubernetes RBAC, and cluster '\(existing.name)' was created with \(field: "disableRBAC")")
        }
        if update.enableAAD || profile != nil {
            let wantsChange = update.enableAAD || update.adminGroupObjectIDs != nil || update.aadTenantID != nil
                || update.azureRBAC != nil
            if wantsChange {
                profile = try await aadProfile(
                    clusterTenantID: tenant.id, aadTenantID: update.aadTenantID ?? profile?.tenantID,
                    adminGroups: update.adminGroupObjectIDs ?? profile?.adminGroupObjectIDs ?? [],
                    acknowledged: update.acknowledgeNoAdminGroups || (update.adminGroupObjectIDs == nil && profile != nil),
                    azureRBAC: update.azureRBAC ?? profile?.azureRBACEnabled ?? false)
            }
        } else if update.adminGroupObjectIDs != nil || update.aadTenantID != nil || update.azureRBAC != nil {
            throw AdministrationError.invalidArgument("cluster '\(existing.name)' does not have AAD enabled: add \(field: "enableAAD")")
        }
        let disableLocal = update.disableLocalAccounts ?? existing.localAccountsDisabled
        if disableLocal && profile == nil {
            throw AdministrationError.invalidArgument("\(field: "disableLocalAccounts") needs AAD: add \(field: "enableAAD")")
        }
        let server = try update.server.map(Self.checkServer)
        let caPEM = try update.certificateAuthorityPEM.map(Self.checkCertificateAuthority)
        if update.sharedAudience && update.audience != nil {
            throw AdministrationError.invalidArgument("\(field: "audience") and \(field: "sharedAudience") exclude each other")
        }
        let audience = update.sharedAudience ? nil : try update.audience.map(Self.checkAudience) ?? existing.audience
        if audience != nil && profile == nil {
            throw AdministrationError.invalidArgument("\(field: "audience") needs AAD: add \(field: "enableAAD")")
        }
        // The audience lives with the AKS server app of the AAD tenant: when it or that tenant
        // changes, the new one is registered first (refused if taken) and the old one released last.
        let oldAudience = existing.audience.flatMap { audience in existing.aadProfile.map { (audience, $0.tenantID) } }
        let newAudience = audience.flatMap { audience in profile.map { (audience, $0.tenantID) } }
        let audienceMoves = oldAudience?.0 != newAudience?.0 || oldAudience?.1 != newAudience?.1
        if audienceMoves, let (uri, aadTenant) = newAudience { try await registerClusterAudience(uri, aadTenantID: aadTenant) }
        let now = clock.now()
        let newProfile = profile
        let updated: Cluster
        do {
            updated = try await store.updateCluster(tenantID: tenant.id, objectID: existing.objectID) { cluster in
                cluster.aadProfile = newProfile
                cluster.localAccountsDisabled = disableLocal
                if let server { cluster.server = server }
                if let caPEM { cluster.certificateAuthorityPEM = caPEM }
                cluster.audience = audience
                cluster.updatedAt = now
            }
        } catch {
            if audienceMoves, let (uri, aadTenant) = newAudience { try? await unregisterClusterAudience(uri, aadTenantID: aadTenant) }
            throw error
        }
        if audienceMoves, let (uri, aadTenant) = oldAudience { try await unregisterClusterAudience(uri, aadTenantID: aadTenant) }
        await recordChange("cluster.updated", tenantID: tenant.id, subject: updated.resourceID,
                           details: Self.auditDetails(updated))
        return updated
    }

    public func cluster(tenant idOrName: String, name: String) async throws -> Cluster {
        let tenant = try await tenant(idOrName)
        return try await requireCluster(tenantID: tenant.id, name: name)
    }

    public func listClusters(tenant idOrName: String) async throws -> [Cluster] {
        let tenant = try await tenant(idOrName)
        return try await store.listClusters(tenantID: tenant.id)
    }

    /// Deletes the cluster and its role assignments, and releases its own audience.
    public func deleteCluster(tenant idOrName: String, name: String) async throws {
        let tenant = try await tenant(idOrName)
        let cluster = try await requireCluster(tenantID: tenant.id, name: name)
        do {
            try await store.deleteCluster(tenantID: tenant.id, objectID: cluster.objectID)
        } catch let error as StoreError where error.code == .notFound {
            throw AdministrationError.notFound("cluster '\(name)' not found")
        }
        if let audience = cluster.audience, let profile = cluster.aadProfile {
            try await unregisterClusterAudience(audience, aadTenantID: profile.tenantID)
        }
        await recordChange("cluster.deleted", tenantID: tenant.id, subject: cluster.resourceID)
    }

    /// Replaces the local-account CA: every admin certificate issued so far stops working once
    /// kube-apiserver has the new `--client-ca-file` (it reloads the file by itself).
    public func rotateClusterCertificates(tenant idOrName: String, name: String) async throws -> Cluster {
        let tenant = try await tenant(idOrName)
        let existing = try await requireCluster(tenantID: tenant.id, name: name)
        let ca = try makeLocalAccountCA(clusterName: existing.name, tenantID: tenant.id, clusterObjectID: existing.objectID)
        let now = clock.now()
        let updated = try await store.updateCluster(tenantID: tenant.id, objectID: existing.objectID) { cluster in
            cluster.localAccountCA = ca
            cluster.updatedAt = now
        }
        await recordChange("cluster.certificates-rotated", tenantID: tenant.id, subject: updated.resourceID)
        return updated
    }

    /// A short-lived `O=system:masters` client certificate signed by the cluster's local-account
    /// CA. Refused with AKS's exact message (and audited as `cluster.admin-credential.denied`)
    /// when local accounts are disabled.
    public func adminCredential(tenant idOrName: String, name: String) async throws -> AdminCredential {
        let tenant = try await tenant(idOrName)
        let cluster = try await requireCluster(tenantID: tenant.id, name: name)
        guard !cluster.localAccountsDisabled else {
            await recordChange("cluster.admin-credential.denied", tenantID: tenant.id, subject: cluster.resourceID,
                               outcome: "failure", details: ["reason": "local accounts are disabled"])
            throw AdministrationError.notAllowed(AdministrationMessage(ClusterRules.localAccountsDisabledMessage))
        }
        let caCertificate = try Certificate(pem: cluster.localAccountCA.certificatePEM)
        let caKey = try PrivateKey(pem: try keyEncryption.open(
            cluster.localAccountCA.privateKeyPEM,
            context: KeyEncryption.clusterCAContext(tenantID: cluster.tenantID, clusterObjectID: cluster.objectID)))
        let key = try PrivateKey.generateP256()
        let certificate = try Certificate.issue(
            commonName: ClusterRules.adminCommonName, organizations: [ClusterRules.adminOrganization],
            publicKey: key.publicKey, issuer: caCertificate, issuerKey: caKey,
            validFor: ClusterRules.adminCredentialLifetime, usages: [.clientAuth])
        await recordChange("cluster.admin-credential.issued", tenantID: tenant.id, subject: cluster.resourceID,
                           details: ["serial": certificate.serialNumberHex,
                                     "notAfter": ISO8601DateFormatter().string(from: certificate.notAfter)])
        return AdminCredential(certificatePEM: certificate.pem, privateKeyPEM: key.pemPKCS8, notAfter: certificate.notAfter)
    }

    /// The bearer token kube-apiserver uses for the cluster's webhooks. Only its keyed hash is
    /// stored, so it cannot be shown again: `existing` (the token in files written earlier) is
    /// kept when it still matches; otherwise a new token replaces the old one, which stops working.
    public func webhookToken(tenant idOrName: String, name: String, existing: String?) async throws -> (Cluster, String) {
        let tenant = try await tenant(idOrName)
        let cluster = try await requireCluster(tenantID: tenant.id, name: name)
        if let existing, let hash = cluster.webhookTokenHash, hasher.matches(existing, storedHash: hash) {
            return (cluster, existing)
        }
        let token = Base64URL.encode(SecureRandom.bytes(32))
        let hash = hasher.hash(token)
        let now = clock.now()
        let updated = try await store.updateCluster(tenantID: tenant.id, objectID: cluster.objectID) { cluster in
            cluster.webhookTokenHash = hash
            cluster.updatedAt = now
        }
        await recordChange("cluster.webhook-token.issued", tenantID: tenant.id, subject: updated.resourceID)
        return (updated, token)
    }

    // MARK: Helpers

    func requireCluster(tenantID: String, name: String) async throws -> Cluster {
        guard let cluster = try await store.cluster(tenantID: tenantID, name: name) else {
            throw AdministrationError.notFound("cluster '\(name)' not found")
        }
        return cluster
    }

    private func aadProfile(clusterTenantID: String, aadTenantID: String?, adminGroups: [String], acknowledged: Bool,
                            azureRBAC: Bool) async throws -> AADProfile {
        var aadTenant = clusterTenantID
        if let aadTenantID {
            guard let found = try await TenantResolver(store: store).resolve(aadTenantID) else {
                throw AdministrationError.notFound("\(field: "aadTenantID"): tenant '\(aadTenantID)' not found")
            }
            aadTenant = found.id
        }
        var groups: [String] = []
        for id in adminGroups where !id.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let canonical = ObjectID.canonical(id.trimmingCharacters(in: .whitespaces)) else {
                throw AdministrationError.invalidArgument("\(field: "aadAdminGroupObjectIDs"): '\(id)' is not an object id (GUID)")
            }
            guard try await store.group(tenantID: aadTenant, objectID: canonical) != nil else {
                throw AdministrationError.notFound("\(field: "aadAdminGroupObjectIDs"): no group '\(canonical)' in the AAD tenant")
            }
            if !groups.contains(canonical) { groups.append(canonical) }
        }
        if groups.isEmpty && !acknowledged {
            throw AdministrationError.invalidArgument(
                "an AAD cluster needs at least one admin group (\(field: "aadAdminGroupObjectIDs")); pass \(field: "noAADAdminGroups") to create it without one (then only role assignments grant access)")
        }
        return AADProfile(adminGroupObjectIDs: groups, tenantID: aadTenant, azureRBACEnabled: azureRBAC)
    }

    static func checkServer(_ text: String) throws -> String {
        var server = text.trimmingCharacters(in: .whitespaces)
        while server.hasSuffix("/") { server.removeLast() }
        guard let url = URLComponents(string: server), url.scheme == "https", let host = url.host, !host.isEmpty,
              url.query == nil, url.fragment == nil, url.user == nil else {
            throw AdministrationError.invalidArgument("\(field: "server") must be the API server's https URL, e.g. https://10.0.0.1:6443")
        }
        return server
    }

    static func checkCertificateAuthority(_ pem: String) throws -> String {
        guard let certificates = try? Certificate.parseAll(pem: pem), !certificates.isEmpty else {
            throw AdministrationError.invalidArgument("\(field: "certificateAuthority") must be a PEM file with at least one CERTIFICATE")
        }
        return certificates.map(\.pem).joined()
    }

    /// A new CA whose private key is sealed for the cluster's record (``KeyEncryption``).
    func makeLocalAccountCA(clusterName: String, tenantID: String, clusterObjectID: String) throws -> LocalAccountCA {
        let key = try PrivateKey.generateP256()
        let certificate = try Certificate.selfSigned(commonName: "\(clusterName) local accounts CA", key: key,
                                                     validFor: ClusterRules.localAccountCALifetime, isCertificateAuthority: true)
        let sealed = try keyEncryption.seal(key.pemPKCS8, context: KeyEncryption.clusterCAContext(
            tenantID: tenantID, clusterObjectID: clusterObjectID))
        return LocalAccountCA(certificatePEM: certificate.pem, privateKeyPEM: sealed)
    }

    static func auditDetails(_ cluster: Cluster) -> [String: String] {
        var details = ["aad": cluster.aadProfile == nil ? "false" : "true",
                       "disableLocalAccounts": cluster.localAccountsDisabled ? "true" : "false"]
        if let profile = cluster.aadProfile {
            details["adminGroups"] = profile.adminGroupObjectIDs.joined(separator: ",")
            details["azureRBAC"] = profile.azureRBACEnabled ? "true" : "false"
            details["audience"] = cluster.acceptedAudience
        }
        return details
    }
}

extension DirectoryAdministration {
    /// The tenant of cluster `name`: `tenant` when given; otherwise the only tenant that has a
    /// cluster of that name (so `--tenant` may be left out while names are unambiguous).
    public func clusterTenant(_ tenant: String?, name: String) async throws -> Tenant {
        if let tenant { return try await self.tenant(tenant) }
        var found: [Tenant] = []
        for candidate in try await store.listTenants() where try await store.cluster(tenantID: candidate.id, name: name) != nil {
            found.append(candidate)
        }
        guard let only = found.first else { throw AdministrationError.notFound("cluster '\(name)' not found") }
        guard found.count == 1 else {
            throw AdministrationError.invalidArgument("several tenants have a cluster named '\(name)': give \(field: "tenant") (\(found.map(\.name).joined(separator: ", ")))")
        }
        return only
    }

    /// Every cluster of `tenant`, or of every tenant when nil.
    public func listClusters(tenant idOrName: String?) async throws -> [Cluster] {
        if let idOrName { return try await listClusters(tenant: idOrName) }
        var clusters: [Cluster] = []
        for tenant in try await store.listTenants() { clusters += try await store.listClusters(tenantID: tenant.id) }
        return clusters
    }
}
