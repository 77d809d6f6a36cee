import Foundation
import IdentityCore
import Testing

/// The store contract (the doc comments in `IdentityCore/Store`), checked against every
/// available backend. Each test gets a fresh store. Tests that only one backend can have (file
/// modes, several connections to one file) live in that backend's file, not here.
///
/// The suite's tests live in extensions, one file per aggregate.
@Suite("Store conformance")
struct StoreConformanceTests {
    // MARK: Tenants

    @Test(arguments: StoreBackend.available)
    func tenantsCreateGetAndList(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let contoso = Fixtures.tenant(id: Fixtures.tenantID, name: "contoso")
            let fabrikam = Fixtures.tenant(name: "fabrikam.test")
            let adatum = Fixtures.tenant(name: "adatum")
            for tenant in [contoso, fabrikam, adatum] { try await store.createTenant(tenant) }

            #expect(try await store.tenant(id: contoso.id) == contoso)
            #expect(try await store.tenant(id: contoso.id.uppercased()) == contoso)
            #expect(try await store.tenant(named: "contoso") == contoso)
            #expect(try await store.tenant(named: "CONTOSO") == contoso)
            #expect(try await store.tenant(id: ObjectID.make()) == nil)
            #expect(try await store.tenant(named: "northwind") == nil)
            #expect(try await store.listTenants() == [adatum, contoso, fabrikam])
        }
    }

    @Test(arguments: StoreBackend.available)
    func tenantIDsAreStoredLowerCase(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let id = ObjectID.make()
            try await store.createTenant(Fixtures.tenant(id: id.uppercased(), name: "contoso"))
            #expect(try await store.tenant(named: "contoso")?.id == id)
            #expect(try await store.tenant(id: id)?.id == id)
        }
    }

    @Test(arguments: StoreBackend.available)
    func tenantIDAndNameAreUnique(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let contoso = Fixtures.tenant(name: "contoso")
            try await store.createTenant(contoso)
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createTenant(Fixtures.tenant(id: contoso.id, name: "other"))
            }
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createTenant(Fixtures.tenant(name: "Contoso"))
            }
            #expect(try await store.listTenants() == [contoso])
        }
    }

    @Test(arguments: StoreBackend.available)
    func datesRoundTripToTheMillisecond(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let dates = [
                Date(timeIntervalSince1970: 0),
                Date(timeIntervalSince1970: -86_400.001),          // before 1970
                Date(timeIntervalSince1970: 1_767_225_600.999),
                Date(timeIntervalSince1970: 4_102_444_800.5),      // 2100
            ]
            for (index, date) in dates.enumerated() {
                let tenant = Tenant(id: ObjectID.make(), name: "tenant-\(index)", createdAt: date)
                try await store.createTenant(tenant)
                #expect(try await store.tenant(id: tenant.id)?.createdAt == date)
            }
            let key = SigningKeyRecord(keyID: "k", algorithm: "ES256", privateKeyPEM: "p", certificatePEM: "c",
                                       createdAt: dates[1], activatedAt: dates[2], retiredAt: nil,
                                       removeAfter: dates[3])
            try await store.rotateSigningKey(expectedLatestKeyID: nil, newKey: key, retiredRemoveAfter: dates[3])
            #expect(try await store.signingKeys() == [key])
        }
    }
}
