import Foundation
import IdentityCore
import OAuthProtocol

/// A tenant with a nested group structure and one service principal per credential kind,
/// the shape most token tests need:
/// `pipeline` (secret) and `certificatePipeline` (certificate) are members of `inner`,
/// which is a member of `outer`.
public struct DirectoryFixture: Sendable {
    public var tenant: Tenant
    public var outer: Group
    public var inner: Group
    public var pipeline: ServicePrincipalRegistration
    public var certificatePipeline: ServicePrincipalRegistration
    /// The PEM file holding the certificate principal's private key and certificate.
    public var certificateFile: String

    public static func make(in test: TestIssuer, tenantName: String = "contoso") async throws -> DirectoryFixture {
        let admin = test.administration
        let tenant = try await admin.createTenant(name: tenantName)
        let outer = try await admin.createGroup(tenant: tenant.id, displayName: "k8s-admins", mailNickname: nil)
        let inner = try await admin.createGroup(tenant: tenant.id, displayName: "pipelines", mailNickname: nil)
        try await admin.addGroupMember(tenant: tenant.id, groupID: outer.objectID, memberID: inner.objectID)
        let pipeline = try await admin.createServicePrincipalForRBAC(tenant: tenant.id, name: "pipeline", credential: .secret)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubeid-fixture-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificatePipeline = try await admin.createServicePrincipalForRBAC(
            tenant: tenant.id, name: "cert-pipeline", credential: .newCertificate(directory: directory))
        for registration in [pipeline, certificatePipeline] {
            try await admin.addGroupMember(tenant: tenant.id, groupID: inner.objectID,
                                           memberID: registration.servicePrincipal.objectID)
        }
        return DirectoryFixture(tenant: tenant, outer: outer, inner: inner, pipeline: pipeline,
                                certificatePipeline: certificatePipeline,
                                certificateFile: certificatePipeline.certificateFile ?? "")
    }
}
