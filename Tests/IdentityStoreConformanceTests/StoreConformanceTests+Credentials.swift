import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func clientSecretsNewestFirstAndUnique(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app")
            try await store.createApplication(app, servicePrincipal: nil, secrets: [], certificates: [])
            let old = Fixtures.secret(for: app, createdAt: Fixtures.date(0))
            let new = Fixtures.secret(for: app, createdAt: Fixtures.date(60))
            try await store.addClientSecret(old)
            try await store.addClientSecret(new)
            #expect(try await store.clientSecrets(tenantID: Fixtures.tenantID, appID: "app") == [new, old])
            await #expect(throws: StoreError.alreadyExists) { try await store.addClientSecret(old) }
            #expect(try await store.clientSecrets(tenantID: Fixtures.tenantID, appID: "other").isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func credentialsNeedTheirApplication(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let ghost = Fixtures.application(appID: "ghost")
            await #expect(throws: StoreError.notFound) { try await store.addClientSecret(Fixtures.secret(for: ghost)) }
            await #expect(throws: StoreError.notFound) { try await store.addCertificate(Fixtures.certificate(for: ghost)) }
            await #expect(throws: StoreError.notFound) {
                try await store.addFederatedCredential(Fixtures.federatedCredential(for: ghost, name: "n", subject: "s"))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.replaceCredentials(tenantID: Fixtures.tenantID, appID: "ghost", secrets: [],
                                                   certificates: [])
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func certificatesNewestFirstAndUnique(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app")
            let other = Fixtures.application(appID: "other")
            for application in [app, other] {
                try await store.createApplication(application, servicePrincipal: nil, secrets: [], certificates: [])
            }
            let old = Fixtures.certificate(for: app, thumbprint: "aa", createdAt: Fixtures.date(0))
            let new = Fixtures.certificate(for: app, thumbprint: "bb", createdAt: Fixtures.date(60))
            try await store.addCertificate(old)
            try await store.addCertificate(new)
            #expect(try await store.certificates(tenantID: Fixtures.tenantID, appID: "app") == [new, old])

            await #expect(throws: StoreError.alreadyExists) {
                try await store.addCertificate(Fixtures.certificate(for: app, id: old.id, thumbprint: "cc"))
            }
            await #expect(throws: StoreError.alreadyExists) {
                try await store.addCertificate(Fixtures.certificate(for: app, thumbprint: "aa"))
            }
            // The same certificate may authenticate another application.
            let shared = Fixtures.certificate(for: other, thumbprint: "aa")
            try await store.addCertificate(shared)
            #expect(try await store.certificates(tenantID: Fixtures.tenantID, appID: "other") == [shared])
        }
    }

    @Test(arguments: StoreBackend.available)
    func replaceCredentialsSwapsSecretsAndCertificatesOnly(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app")
            let oldSecret = Fixtures.secret(for: app)
            let oldCertificate = Fixtures.certificate(for: app)
            try await store.createApplication(app, servicePrincipal: nil, secrets: [oldSecret],
                                              certificates: [oldCertificate])
            let federated = Fixtures.federatedCredential(for: app, name: "github", subject: "repo:o/r:ref:main")
            try await store.addFederatedCredential(federated)

            let newSecret = Fixtures.secret(for: app, createdAt: Fixtures.date(5))
            try await store.replaceCredentials(tenantID: Fixtures.tenantID, appID: "app", secrets: [newSecret],
                                               certificates: [])
            #expect(try await store.clientSecrets(tenantID: Fixtures.tenantID, appID: "app") == [newSecret])
            #expect(try await store.certificates(tenantID: Fixtures.tenantID, appID: "app").isEmpty)
            #expect(try await store.federatedCredentials(tenantID: Fixtures.tenantID, appID: "app") == [federated])

            // Re-adding a certificate with the thumbprint just removed is fine within one replace.
            let again = Fixtures.certificate(for: app, thumbprint: "same")
            try await store.addCertificate(again)
            let replacement = Fixtures.certificate(for: app, thumbprint: "same")
            try await store.replaceCredentials(tenantID: Fixtures.tenantID, appID: "app", secrets: [],
                                               certificates: [replacement])
            #expect(try await store.certificates(tenantID: Fixtures.tenantID, appID: "app") == [replacement])
        }
    }

    @Test(arguments: StoreBackend.available)
    func replaceCredentialsIsAtomic(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app")
            let other = Fixtures.application(appID: "other")
            let kept = Fixtures.secret(for: app)
            let keptCertificate = Fixtures.certificate(for: app)
            try await store.createApplication(app, servicePrincipal: nil, secrets: [kept], certificates: [keptCertificate])
            let othersSecret = Fixtures.secret(for: other)
            try await store.createApplication(other, servicePrincipal: nil, secrets: [othersSecret], certificates: [])

            // The second new secret reuses another app's secret id: the whole replace fails.
            var clash = Fixtures.secret(for: app)
            clash.id = othersSecret.id
            await #expect(throws: StoreError.alreadyExists) {
                try await store.replaceCredentials(tenantID: Fixtures.tenantID, appID: "app",
                                                   secrets: [Fixtures.secret(for: app), clash], certificates: [])
            }
            #expect(try await store.clientSecrets(tenantID: Fixtures.tenantID, appID: "app") == [kept])
            #expect(try await store.certificates(tenantID: Fixtures.tenantID, appID: "app") == [keptCertificate])
        }
    }

    @Test(arguments: StoreBackend.available)
    func federatedCredentialsOrderedByNameAndUnique(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app")
            let other = Fixtures.application(appID: "other")
            for application in [app, other] {
                try await store.createApplication(application, servicePrincipal: nil, secrets: [], certificates: [])
            }
            let main = Fixtures.federatedCredential(for: app, name: "main", subject: "repo:o/r:ref:main")
            let dev = Fixtures.federatedCredential(for: app, name: "dev", subject: "repo:o/r:ref:dev")
            try await store.addFederatedCredential(main)
            try await store.addFederatedCredential(dev)
            #expect(try await store.federatedCredentials(tenantID: Fixtures.tenantID, appID: "app") == [dev, main])

            await #expect(throws: StoreError.alreadyExists) {
                try await store.addFederatedCredential(Fixtures.federatedCredential(for: app, name: "main",
                                                                                    subject: "repo:o/r:ref:other"))
            }
            await #expect(throws: StoreError.alreadyExists) {
                try await store.addFederatedCredential(Fixtures.federatedCredential(for: app, name: "third",
                                                                                    subject: "repo:o/r:ref:main"))
            }
            // Subjects compare exactly; another app may trust the same subject.
            try await store.addFederatedCredential(Fixtures.federatedCredential(for: app, name: "upper",
                                                                                subject: "REPO:o/r:ref:main"))
            try await store.addFederatedCredential(Fixtures.federatedCredential(for: other, name: "main",
                                                                                subject: "repo:o/r:ref:main"))
            #expect(try await store.federatedCredentials(tenantID: Fixtures.tenantID, appID: "app").count == 3)
        }
    }

    @Test(arguments: StoreBackend.available)
    func deleteOneCredentialOfEachKind(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app")
            let other = Fixtures.application(appID: "other")
            let oldSecret = Fixtures.secret(for: app, createdAt: Fixtures.date(0))
            let newSecret = Fixtures.secret(for: app, createdAt: Fixtures.date(60))
            let oldCertificate = Fixtures.certificate(for: app, thumbprint: "aa", createdAt: Fixtures.date(0))
            let newCertificate = Fixtures.certificate(for: app, thumbprint: "bb", createdAt: Fixtures.date(60))
            try await store.createApplication(app, servicePrincipal: nil, secrets: [oldSecret, newSecret],
                                              certificates: [oldCertificate, newCertificate])
            let othersSecret = Fixtures.secret(for: other)
            let othersCertificate = Fixtures.certificate(for: other)
            try await store.createApplication(other, servicePrincipal: nil, secrets: [othersSecret],
                                              certificates: [othersCertificate])
            let main = Fixtures.federatedCredential(for: app, name: "main", subject: "repo:o/r:ref:main")
            let dev = Fixtures.federatedCredential(for: app, name: "dev", subject: "repo:o/r:ref:dev")
            let othersFederated = Fixtures.federatedCredential(for: other, name: "main", subject: "repo:o/r:ref:main")
            for credential in [main, dev, othersFederated] { try await store.addFederatedCredential(credential) }

            try await store.deleteClientSecret(tenantID: Fixtures.tenantID, appID: "app", id: newSecret.id)
            try await store.deleteCertificate(tenantID: Fixtures.tenantID, appID: "app", id: oldCertificate.id)
            try await store.deleteFederatedCredential(tenantID: Fixtures.tenantID, appID: "app", id: main.id)
            #expect(try await store.clientSecrets(tenantID: Fixtures.tenantID, appID: "app") == [oldSecret])
            #expect(try await store.certificates(tenantID: Fixtures.tenantID, appID: "app") == [newCertificate])
            #expect(try await store.federatedCredentials(tenantID: Fixtures.tenantID, appID: "app") == [dev])

            // Gone already; never there; another app's credential through this app, and the reverse;
            // another tenant.
            for (appID, id) in [("app", newSecret.id), ("app", "missing"), ("app", othersSecret.id), ("other", oldSecret.id)] {
                await #expect(throws: StoreError.notFound) {
                    try await store.deleteClientSecret(tenantID: Fixtures.tenantID, appID: appID, id: id)
                }
            }
            await #expect(throws: StoreError.notFound) {
                try await store.deleteClientSecret(tenantID: Fixtures.otherTenantID, appID: "app", id: oldSecret.id)
            }
            for (appID, id) in [("app", oldCertificate.id), ("app", othersCertificate.id), ("other", newCertificate.id)] {
                await #expect(throws: StoreError.notFound) {
                    try await store.deleteCertificate(tenantID: Fixtures.tenantID, appID: appID, id: id)
                }
            }
            await #expect(throws: StoreError.notFound) {
                try await store.deleteCertificate(tenantID: Fixtures.otherTenantID, appID: "app", id: newCertificate.id)
            }
            for (appID, id) in [("app", main.id), ("app", othersFederated.id), ("other", dev.id)] {
                await #expect(throws: StoreError.notFound) {
                    try await store.deleteFederatedCredential(tenantID: Fixtures.tenantID, appID: appID, id: id)
                }
            }
            await #expect(throws: StoreError.notFound) {
                try await store.deleteFederatedCredential(tenantID: Fixtures.otherTenantID, appID: "app", id: dev.id)
            }
            #expect(try await store.clientSecrets(tenantID: Fixtures.tenantID, appID: "app") == [oldSecret])
            #expect(try await store.certificates(tenantID: Fixtures.tenantID, appID: "app") == [newCertificate])
            #expect(try await store.federatedCredentials(tenantID: Fixtures.tenantID, appID: "app") == [dev])
            #expect(try await store.clientSecrets(tenantID: Fixtures.tenantID, appID: "other") == [othersSecret])
            #expect(try await store.certificates(tenantID: Fixtures.tenantID, appID: "other") == [othersCertificate])
            #expect(try await store.federatedCredentials(tenantID: Fixtures.tenantID, appID: "other") == [othersFederated])

            // The removed certificate's thumbprint and federated credential's name and subject are free again.
            try await store.addCertificate(Fixtures.certificate(for: app, thumbprint: "aa"))
            try await store.addFederatedCredential(Fixtures.federatedCredential(for: app, name: "main",
                                                                                subject: "repo:o/r:ref:main"))
            #expect(try await store.certificates(tenantID: Fixtures.tenantID, appID: "app").count == 2)
            #expect(try await store.federatedCredentials(tenantID: Fixtures.tenantID, appID: "app").count == 2)
        }
    }

    @Test(arguments: StoreBackend.available)
    func credentialDeletesMoveDirectoryVersion(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app")
            let secret = Fixtures.secret(for: app)
            let certificate = Fixtures.certificate(for: app)
            try await store.createApplication(app, servicePrincipal: nil, secrets: [secret], certificates: [certificate])
            let federated = Fixtures.federatedCredential(for: app, name: "main", subject: "s")
            try await store.addFederatedCredential(federated)
            var seen: Set<Int64> = [try await store.directoryVersion()]
            func expectNewVersion(after write: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                #expect(seen.insert(try await store.directoryVersion()).inserted, "directoryVersion did not change after \(write)",
                        sourceLocation: sourceLocation)
            }
            try await store.deleteClientSecret(tenantID: Fixtures.tenantID, appID: "app", id: secret.id)
            try await expectNewVersion(after: "deleteClientSecret")
            try await store.deleteCertificate(tenantID: Fixtures.tenantID, appID: "app", id: certificate.id)
            try await expectNewVersion(after: "deleteCertificate")
            try await store.deleteFederatedCredential(tenantID: Fixtures.tenantID, appID: "app", id: federated.id)
            try await expectNewVersion(after: "deleteFederatedCredential")
        }
    }
}
