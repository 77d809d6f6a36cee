import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    // MARK: App role assignments

    @Test(arguments: StoreBackend.available)
    func appRoleAssignmentsCreateGetListAndDelete(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            // Same instant for "b-1" and "a-2": ties are broken by id.
            let first = Fixtures.appRoleAssignment(id: "b-1", principalID: "sp-client", createdAt: Fixtures.date(1))
            let second = Fixtures.appRoleAssignment(id: "a-2", principalID: "sp-client", appRoleID: "role-write",
                                                    createdAt: Fixtures.date(1))
            let third = Fixtures.appRoleAssignment(id: "c-3", principalID: "sp-client", resourceID: "sp-api",
                                                   createdAt: Fixtures.date(0))
            let toUser = Fixtures.appRoleAssignment(id: "d-4", principalID: "u-ada", kind: .user, createdAt: Fixtures.date(2))
            let toGroup = Fixtures.appRoleAssignment(id: "e-5", principalID: "g-ops", kind: .group, createdAt: Fixtures.date(-1))
            let elsewhere = Fixtures.appRoleAssignment(tenantID: Fixtures.otherTenantID, id: "f-6", principalID: "sp-client")
            for assignment in [first, second, third, toUser, toGroup, elsewhere] {
                try await store.createAppRoleAssignment(assignment)
            }

            #expect(try await store.appRoleAssignment(tenantID: Fixtures.tenantID, id: "a-2") == second)
            #expect(try await store.appRoleAssignment(tenantID: Fixtures.tenantID, id: "d-4") == toUser)
            #expect(try await store.appRoleAssignment(tenantID: Fixtures.tenantID, id: "e-5") == toGroup)
            #expect(try await store.appRoleAssignment(tenantID: Fixtures.otherTenantID, id: "a-2") == nil)
            #expect(try await store.appRoleAssignment(tenantID: Fixtures.tenantID, id: "missing") == nil)
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, principalID: "sp-client")
                    == [third, second, first])
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, principalID: "u-ada") == [toUser])
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.otherTenantID, principalID: "sp-client") == [elsewhere])
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, principalID: "nobody").isEmpty)
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, resourceID: Fixtures.graphResourceID)
                    == [toGroup, second, first, toUser])
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, resourceID: "sp-api") == [third])
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, resourceID: "sp-client").isEmpty)

            try await store.deleteAppRoleAssignment(tenantID: Fixtures.tenantID, id: "b-1")
            #expect(try await store.appRoleAssignment(tenantID: Fixtures.tenantID, id: "b-1") == nil)
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, principalID: "sp-client") == [third, second])
            await #expect(throws: StoreError.notFound) {
                try await store.deleteAppRoleAssignment(tenantID: Fixtures.tenantID, id: "b-1")
            }
            // Another tenant's assignment is not this tenant's to delete.
            await #expect(throws: StoreError.notFound) {
                try await store.deleteAppRoleAssignment(tenantID: Fixtures.tenantID, id: "f-6")
            }
            #expect(try await store.appRoleAssignment(tenantID: Fixtures.otherTenantID, id: "f-6") == elsewhere)
        }
    }

    @Test(arguments: StoreBackend.available)
    func appRoleAssignmentRules(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let granted = Fixtures.appRoleAssignment(id: "r1")
            try await store.createAppRoleAssignment(granted)
            // The same id; the same principal, resource and role under another id.
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createAppRoleAssignment(Fixtures.appRoleAssignment(id: "r1", principalID: "other",
                                                                                   appRoleID: "other-role"))
            }
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createAppRoleAssignment(Fixtures.appRoleAssignment())
            }
            // Another role, resource, principal or tenant makes another assignment. The store does
            // not check that the principal, resource or role exist.
            try await store.createAppRoleAssignment(Fixtures.appRoleAssignment(appRoleID: "role-write"))
            try await store.createAppRoleAssignment(Fixtures.appRoleAssignment(resourceID: "sp-api"))
            try await store.createAppRoleAssignment(Fixtures.appRoleAssignment(principalID: "sp-other"))
            try await store.createAppRoleAssignment(Fixtures.appRoleAssignment(tenantID: Fixtures.otherTenantID))
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, principalID: "sp-client").count == 3)
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, resourceID: Fixtures.graphResourceID)
                        .count == 3)
            #expect(try await store.appRoleAssignment(tenantID: Fixtures.tenantID, id: "r1") == granted)
        }
    }

    // MARK: Directory role assignments

    @Test(arguments: StoreBackend.available)
    func directoryRoleAssignmentsCreateGetListAndDelete(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let first = Fixtures.directoryRoleAssignment(id: "b-1", principalID: "u-ada", createdAt: Fixtures.date(1))
            let second = Fixtures.directoryRoleAssignment(id: "a-2", role: Fixtures.groupsAdministrator, principalID: "u-ada",
                                                          createdAt: Fixtures.date(1))
            let third = Fixtures.directoryRoleAssignment(id: "c-3", principalID: "u-grace", createdAt: Fixtures.date(0))
            let elsewhere = Fixtures.directoryRoleAssignment(tenantID: Fixtures.otherTenantID, id: "d-4", principalID: "u-ada")
            for assignment in [first, second, third, elsewhere] { try await store.createDirectoryRoleAssignment(assignment) }

            #expect(try await store.directoryRoleAssignment(tenantID: Fixtures.tenantID, id: "a-2") == second)
            #expect(try await store.directoryRoleAssignment(tenantID: Fixtures.otherTenantID, id: "a-2") == nil)
            #expect(try await store.directoryRoleAssignment(tenantID: Fixtures.tenantID, id: "missing") == nil)
            #expect(try await store.directoryRoleAssignments(tenantID: Fixtures.tenantID, principalID: "u-ada") == [second, first])
            #expect(try await store.directoryRoleAssignments(tenantID: Fixtures.tenantID, principalID: "u-grace") == [third])
            #expect(try await store.directoryRoleAssignments(tenantID: Fixtures.tenantID, principalID: "nobody").isEmpty)
            #expect(try await store.directoryRoleAssignments(tenantID: Fixtures.otherTenantID, principalID: "u-ada") == [elsewhere])
            #expect(try await store.listDirectoryRoleAssignments(tenantID: Fixtures.tenantID) == [third, second, first])
            #expect(try await store.listDirectoryRoleAssignments(tenantID: Fixtures.otherTenantID) == [elsewhere])

            try await store.deleteDirectoryRoleAssignment(tenantID: Fixtures.tenantID, id: "a-2")
            #expect(try await store.directoryRoleAssignment(tenantID: Fixtures.tenantID, id: "a-2") == nil)
            #expect(try await store.listDirectoryRoleAssignments(tenantID: Fixtures.tenantID) == [third, first])
            await #expect(throws: StoreError.notFound) {
                try await store.deleteDirectoryRoleAssignment(tenantID: Fixtures.tenantID, id: "a-2")
            }
            await #expect(throws: StoreError.notFound) {
                try await store.deleteDirectoryRoleAssignment(tenantID: Fixtures.tenantID, id: "d-4")
            }
            #expect(try await store.listDirectoryRoleAssignments(tenantID: Fixtures.otherTenantID) == [elsewhere])
        }
    }

    @Test(arguments: StoreBackend.available)
    func directoryRoleAssignmentRules(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let held = Fixtures.directoryRoleAssignment(id: "r1")
            try await store.createDirectoryRoleAssignment(held)
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createDirectoryRoleAssignment(Fixtures.directoryRoleAssignment(id: "r1",
                                                                                               role: Fixtures.groupsAdministrator,
                                                                                               principalID: "u-other"))
            }
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createDirectoryRoleAssignment(Fixtures.directoryRoleAssignment())
            }
            // Another role, principal or tenant makes another assignment.
            try await store.createDirectoryRoleAssignment(Fixtures.directoryRoleAssignment(role: Fixtures.groupsAdministrator))
            try await store.createDirectoryRoleAssignment(Fixtures.directoryRoleAssignment(principalID: "u-grace"))
            try await store.createDirectoryRoleAssignment(Fixtures.directoryRoleAssignment(tenantID: Fixtures.otherTenantID))
            #expect(try await store.listDirectoryRoleAssignments(tenantID: Fixtures.tenantID).count == 3)
            #expect(try await store.directoryRoleAssignment(tenantID: Fixtures.tenantID, id: "r1") == held)
        }
    }

    @Test(arguments: StoreBackend.available)
    func grantWritesMoveDirectoryVersion(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            var seen: Set<Int64> = [try await store.directoryVersion()]
            func expectNewVersion(after write: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                #expect(seen.insert(try await store.directoryVersion()).inserted, "directoryVersion did not change after \(write)",
                        sourceLocation: sourceLocation)
            }
            try await store.createAppRoleAssignment(Fixtures.appRoleAssignment(id: "app-role"))
            try await expectNewVersion(after: "createAppRoleAssignment")
            try await store.deleteAppRoleAssignment(tenantID: Fixtures.tenantID, id: "app-role")
            try await expectNewVersion(after: "deleteAppRoleAssignment")
            try await store.createDirectoryRoleAssignment(Fixtures.directoryRoleAssignment(id: "directory-role"))
            try await expectNewVersion(after: "createDirectoryRoleAssignment")
            try await store.deleteDirectoryRoleAssignment(tenantID: Fixtures.tenantID, id: "directory-role")
            try await expectNewVersion(after: "deleteDirectoryRoleAssignment")
        }
    }
}
