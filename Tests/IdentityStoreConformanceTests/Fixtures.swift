import Foundation
import IdentityCore

/// Values for the conformance suite. Dates are whole milliseconds, the precision every backend
/// must keep, so stored values compare equal to the originals.
enum Fixtures {
    static let tenantID = "3f2a8c1e-5b7d-4e9f-a1c2-0d4e6f8a9b1c"
    static let otherTenantID = "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4"

    /// 2026-01-01T00:00:00.123Z
    static let epoch = Date(timeIntervalSince1970: 1_767_225_600.123)

    static func date(_ secondsAfterEpoch: Double) -> Date {
        Date(timeIntervalSince1970: epoch.timeIntervalSince1970 + secondsAfterEpoch)
    }

    static func tenant(id: String = ObjectID.make(), name: String) -> Tenant {
        Tenant(id: id, name: name, createdAt: epoch)
    }

    static func application(tenantID: String = tenantID, appID: String = ObjectID.make(),
                            displayName: String = "app", identifierURIs: [String] = []) -> Application {
        Application(tenantID: tenantID, appID: appID, objectID: ObjectID.make(), displayName: displayName,
                    identifierURIs: identifierURIs, accessTokenVersion: 2, isPublicClient: false,
                    exposedScopes: ["user.read"], redirectURIs: ["http://localhost:8000"], createdAt: epoch)
    }

    static func servicePrincipal(for application: Application) -> ServicePrincipal {
        ServicePrincipal(tenantID: application.tenantID, objectID: ObjectID.make(), appID: application.appID,
                         displayName: application.displayName, accountEnabled: true, createdAt: epoch)
    }

    static func secret(for application: Application, id: String = ObjectID.make(),
                       createdAt: Date = epoch) -> ClientSecretCredential {
        ClientSecretCredential(id: id, tenantID: application.tenantID, appID: application.appID,
                               secretHash: [0x00, 0x01, 0xfe, 0xff] + Array(id.utf8.prefix(8)),
                               hint: "abc", createdAt: createdAt, expiresAt: date(86_400 * 365))
    }

    static func certificate(for application: Application, id: String = ObjectID.make(),
                            thumbprint: String = ObjectID.make(), createdAt: Date = epoch) -> CertificateCredential {
        CertificateCredential(id: id, tenantID: application.tenantID, appID: application.appID,
                              sha1Thumbprint: "SHA1-" + thumbprint.uppercased(),
                              sha256Thumbprint: "SHA256-" + thumbprint.uppercased(),
                              certificatePEM: "-----BEGIN CERTIFICATE-----\n\(id)\n-----END CERTIFICATE-----\n",
                              notBefore: date(-60), notAfter: date(86_400), createdAt: createdAt)
    }

    static func federatedCredential(for application: Application, name: String, issuer: String = "https://issuer.test",
                                    subject: String) -> FederatedIdentityCredential {
        FederatedIdentityCredential(id: ObjectID.make(), tenantID: application.tenantID, appID: application.appID,
                                    name: name, issuer: issuer, subject: subject,
                                    audiences: ["api://AzureADTokenExchange"], createdAt: epoch)
    }

    static func group(tenantID: String = tenantID, objectID: String = ObjectID.make(),
                      displayName: String) -> Group {
        Group(tenantID: tenantID, objectID: objectID, displayName: displayName, mailNickname: displayName,
              createdAt: epoch)
    }

    static func signingKey(_ keyID: String, activatedAt: Date? = epoch) -> SigningKeyRecord {
        SigningKeyRecord(keyID: keyID, algorithm: "RS256",
                         privateKeyPEM: "-----BEGIN PRIVATE KEY-----\n\(keyID)\n-----END PRIVATE KEY-----\n",
                         certificatePEM: "-----BEGIN CERTIFICATE-----\n\(keyID)\n-----END CERTIFICATE-----\n",
                         createdAt: activatedAt ?? epoch, activatedAt: activatedAt)
    }
}
