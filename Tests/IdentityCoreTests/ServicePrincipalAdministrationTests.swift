import Cryptography
import Foundation
import IdentityCore
import IdentityStoreSQLite
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("Service principal administration")
struct ServicePrincipalAdministrationTests {
    @Test func createForRBACStoresOnlyAKeyedHashOfThe256BitSecret() async throws {
        let test = try await TestIssuer.make()
        let tenant = try await test.administration.createTenant(name: "contoso")
        let registration = try await test.administration.createServicePrincipalForRBAC(
            tenant: "contoso", name: "pipeline", credential: .secret)
        let secret = try #require(registration.password)

        // Entra-style: three-character hint, "8Q~", then base64url of 32 random bytes.
        let parts = secret.split(separator: "~", maxSplits: 1)
        try #require(parts.count == 2)
        #expect(parts[0].count == 5 && parts[0].hasSuffix("8Q"))
        #expect(parts[1].count >= 43)
        #expect(Base64URL.decode(parts[1])?.count == 32)
        #expect(registration.application.appID == registration.servicePrincipal.appID)
        #expect(registration.tenant == tenant)
        #expect(registration.certificateFile == nil)

        let stored = try await test.store.clientSecrets(tenantID: tenant.id, appID: registration.application.appID)
        try #require(stored.count == 1)
        #expect(stored[0].secretHash == test.hasher.hash(secret))
        #expect(stored[0].secretHash.count == 32)
        #expect(stored[0].hint == String(secret.prefix(3)))
        #expect(stored[0].expiresAt.timeIntervalSince(stored[0].createdAt) == 365 * 24 * 3600)
        let encoded = String(decoding: try JSONEncoder().encode(stored), as: UTF8.self)
        #expect(!encoded.contains(secret))
        #expect(!encoded.contains(String(parts[1])))
        #expect(try await test.store.certificates(tenantID: tenant.id, appID: registration.application.appID).isEmpty)
    }

    @Test func theClearSecretIsNowhereInTheDatabaseFiles() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("kubeid.sqlite").path
        let store = try SQLiteIdentityStore(path: path)
        let admin = DirectoryAdministration(store: store, clock: ManualClock(), hasher: SecretHasher(key: SecureRandom.bytes(32)))
        _ = try await admin.createTenant(name: "contoso")
        let registration = try await admin.createServicePrincipalForRBAC(tenant: "contoso", name: "pipeline", credential: .secret)
        let secret = try #require(registration.password)
        let body = try #require(secret.split(separator: "~").last.map(String.init))

        var inspected = 0
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            inspected += bytes.count
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds the secret")
            #expect(bytes.range(of: Data(body.utf8)) == nil, "\(file) holds the secret body")
        }
        #expect(inspected > 0)
        #expect(try await store.clientSecrets(tenantID: registration.tenant.id, appID: registration.application.appID).count == 1)
    }

    @Test func createForRBACValidatesTheName() async throws {
        let test = try await TestIssuer.make()
        _ = try await test.administration.createTenant(name: "contoso")
        for name in ["", "  ", String(repeating: "n", count: 121)] {
            await #expect(throws: AdministrationError.invalidArgument("")) {
                try await test.administration.createServicePrincipalForRBAC(tenant: "contoso", name: name, credential: .secret)
            }
        }
        await #expect(throws: AdministrationError.notFound("")) {
            try await test.administration.createServicePrincipalForRBAC(tenant: "fabrikam", name: "p", credential: .secret)
        }
    }

    @Test func resetReplacesTheOldSecret() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        let old = fixture.pipeline
        _ = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(old))

        let reset = try await test.administration.resetCredential(tenant: "contoso", appID: old.servicePrincipal.objectID,
                                                                  credential: .secret)
        #expect(reset.application.appID == old.application.appID)
        let newSecret = try #require(reset.password)
        #expect(newSecret != old.password)
        let stored = try await test.store.clientSecrets(tenantID: fixture.tenant.id, appID: old.application.appID)
        #expect(stored.map(\.secretHash) == [test.hasher.hash(newSecret)])

        let error = await #expect(throws: OAuthError.self) {
            try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(old))
        }
        #expect(error?.code == 7000215)
        #expect(error?.httpStatus == 401)
        let response = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(reset))
        #expect(!response.accessToken.isEmpty)

        await #expect(throws: AdministrationError.notFound("")) {
            try await test.administration.resetCredential(tenant: "contoso", appID: ObjectID.make(), credential: .secret)
        }
    }

    @Test func resetToACertificateRemovesEverySecret() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reset = try await test.administration.resetCredential(
            tenant: "contoso", appID: fixture.pipeline.application.appID, credential: .newCertificate(directory: directory.path))
        #expect(reset.password == nil)
        let credentials = try await test.administration.credentials(tenant: "contoso", appID: fixture.pipeline.application.appID)
        #expect(credentials.secrets.isEmpty)
        #expect(credentials.certificates.count == 1)
        let error = await #expect(throws: OAuthError.self) {
            try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
        }
        #expect(error?.code == 7000215)
    }

    @Test func createCertWritesAPrivatePEMWithKeyAndCertificate() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        let file = fixture.certificateFile
        #expect(fixture.certificatePipeline.password == nil)
        #expect(try posixMode(of: file) == 0o600)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("-----BEGIN PRIVATE KEY-----"))
        #expect(text.contains("-----BEGIN CERTIFICATE-----"))

        let builder = try ClientAssertionBuilder(pemFile: file)
        #expect(builder.key.publicKey == builder.certificate.publicKey)
        #expect(builder.certificate.subjectCommonName == "cert-pipeline")
        let stored = try await test.store.certificates(tenantID: fixture.tenant.id,
                                                       appID: fixture.certificatePipeline.application.appID)
        try #require(stored.count == 1)
        #expect(stored[0].sha1Thumbprint == Thumbprint.hex(builder.certificate.sha1Thumbprint))
        #expect(stored[0].sha256Thumbprint == Thumbprint.hex(builder.certificate.sha256Thumbprint))
        #expect(!stored[0].certificatePEM.contains("PRIVATE KEY"))
        #expect(try await test.store.clientSecrets(tenantID: fixture.tenant.id,
                                                   appID: fixture.certificatePipeline.application.appID).isEmpty)
    }

    @Test func anExistingCertificateCanBeRegistered() async throws {
        let test = try await TestIssuer.make()
        _ = try await test.administration.createTenant(name: "contoso")
        let key = try PrivateKey.generateP256()
        let certificate = try Certificate.selfSigned(commonName: "existing", key: key, validFor: 3600)
        let registration = try await test.administration.createServicePrincipalForRBAC(
            tenant: "contoso", name: "existing", credential: .certificate(pem: key.pemPKCS8 + certificate.pem))
        let credentials = try await test.administration.credentials(tenant: "contoso", appID: registration.application.appID)
        #expect(credentials.certificates.map(\.sha1Thumbprint) == [Thumbprint.hex(certificate.sha1Thumbprint)])

        await #expect(throws: AdministrationError.invalidArgument("")) {
            try await test.administration.createServicePrincipalForRBAC(tenant: "contoso", name: "bad",
                                                                        credential: .certificate(pem: "not a certificate"))
        }
    }

    @Test func federatedCredentialsAreValidated() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        let appID = fixture.pipeline.application.appID
        let admin = test.administration
        for issuer in ["http://k8s.example.test", "k8s.example.test", "https://", "ftp://k8s.example.test"] {
            await #expect(throws: AdministrationError.invalidArgument(""), "\(issuer)") {
                try await admin.createFederatedCredential(tenant: "contoso", appID: appID, name: nil, issuer: issuer,
                                                          subject: "system:serviceaccount:default:wl",
                                                          audiences: [WellKnownApplications.tokenExchangeAudience])
            }
        }
        await #expect(throws: AdministrationError.invalidArgument("")) {
            try await admin.createFederatedCredential(tenant: "contoso", appID: appID, name: nil, issuer: "https://k8s.example.test",
                                                      subject: "", audiences: ["api://AzureADTokenExchange"])
        }
        await #expect(throws: AdministrationError.invalidArgument("")) {
            try await admin.createFederatedCredential(tenant: "contoso", appID: appID, name: nil, issuer: "https://k8s.example.test",
                                                      subject: "system:serviceaccount:default:wl", audiences: [])
        }
        await #expect(throws: AdministrationError.notFound("")) {
            try await admin.createFederatedCredential(tenant: "contoso", appID: ObjectID.make(), name: nil,
                                                      issuer: "https://k8s.example.test", subject: "s", audiences: ["a"])
        }
        #expect(try await admin.listFederatedCredentials(tenant: "contoso", appID: appID).isEmpty)

        let credential = try await admin.createFederatedCredential(
            tenant: "contoso", appID: appID, name: "wl", issuer: "https://k8s.example.test",
            subject: "system:serviceaccount:default:wl", audiences: ["api://AzureADTokenExchange"])
        #expect(credential.appID == appID)
        #expect(credential.tenantID == fixture.tenant.id)
        await #expect(throws: AdministrationError.alreadyExists("")) {
            try await admin.createFederatedCredential(tenant: "contoso", appID: appID, name: "other",
                                                      issuer: "https://k8s.example.test",
                                                      subject: "system:serviceaccount:default:wl", audiences: ["x"])
        }
        #expect(try await admin.listFederatedCredentials(tenant: "contoso", appID: appID) == [credential])
    }

    @Test func applicationsValidateTheirFields() async throws {
        let test = try await TestIssuer.make()
        _ = try await test.administration.createTenant(name: "contoso")
        let admin = test.administration
        let (application, principal) = try await admin.createApplication(
            tenant: "contoso", displayName: "kubernetes", identifierURIs: ["api://kubernetes"], accessTokenVersion: 1)
        #expect(application.identifierURIs == ["api://kubernetes"])
        #expect(principal.appID == application.appID)

        await #expect(throws: AdministrationError.alreadyExists("")) {
            try await admin.createApplication(tenant: "contoso", displayName: "again", identifierURIs: ["api://kubernetes"])
        }
        await #expect(throws: AdministrationError.alreadyExists("")) {
            try await admin.createApplication(tenant: "contoso", displayName: "aks", appID: AKS.serverAppID.uppercased())
        }
        await #expect(throws: AdministrationError.invalidArgument("")) {
            try await admin.createApplication(tenant: "contoso", displayName: "v3", accessTokenVersion: 3)
        }
        await #expect(throws: AdministrationError.invalidArgument("")) {
            try await admin.createApplication(tenant: "contoso", displayName: "bad id", appID: "kubernetes")
        }
        for uri in ["kubernetes", "api://kubernetes/.default", "api://has space"] {
            await #expect(throws: AdministrationError.invalidArgument(""), "\(uri)") {
                try await admin.createApplication(tenant: "contoso", displayName: "bad uri", identifierURIs: [uri])
            }
        }
    }
}
