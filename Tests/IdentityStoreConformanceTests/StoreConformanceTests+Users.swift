import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func usersCreateGetAndList(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            // Code-point order would put "Bob" before "alice"; the contract ignores case.
            let bob = Fixtures.user(objectID: "u-bob", upn: "Bob@contoso.test")
            let alice = Fixtures.user(objectID: "u-alice", upn: "alice@contoso.test", withTOTP: false)
            let carol = Fixtures.user(objectID: "u-carol", upn: "carol@contoso.test")
            let elsewhere = Fixtures.user(tenantID: Fixtures.otherTenantID, objectID: "u-bob", upn: "bob@contoso.test")
            for user in [carol, bob, alice, elsewhere] { try await store.createUser(user) }

            #expect(try await store.user(tenantID: Fixtures.tenantID, objectID: "u-bob") == bob)
            #expect(try await store.user(tenantID: Fixtures.tenantID, objectID: "u-alice") == alice)
            #expect(try await store.user(tenantID: Fixtures.otherTenantID, objectID: "u-bob") == elsewhere)
            #expect(try await store.user(tenantID: Fixtures.tenantID, objectID: "missing") == nil)
            #expect(try await store.user(tenantID: Fixtures.tenantID, userPrincipalName: "bob@CONTOSO.test") == bob)
            #expect(try await store.user(tenantID: Fixtures.tenantID, userPrincipalName: "Bob@contoso.test") == bob)
            #expect(try await store.user(tenantID: Fixtures.otherTenantID, userPrincipalName: "BOB@contoso.test")
                    == elsewhere)
            #expect(try await store.user(tenantID: Fixtures.tenantID, userPrincipalName: "dave@contoso.test") == nil)
            #expect(try await store.listUsers(tenantID: Fixtures.tenantID) == [alice, bob, carol])
            #expect(try await store.listUsers(tenantID: Fixtures.otherTenantID) == [elsewhere])
        }
    }

    @Test(arguments: StoreBackend.available)
    func userObjectIDAndPrincipalNameAreUnique(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let ada = Fixtures.user(objectID: "u-ada", upn: "ada@contoso.test")
            try await store.createUser(ada)
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createUser(Fixtures.user(upn: "ADA@Contoso.Test"))
            }
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createUser(Fixtures.user(objectID: "u-ada", upn: "other@contoso.test"))
            }
            // The same UPN in another tenant is another user.
            try await store.createUser(Fixtures.user(tenantID: Fixtures.otherTenantID, upn: "ada@contoso.test"))
            #expect(try await store.listUsers(tenantID: Fixtures.tenantID) == [ada])
        }
    }

    @Test(arguments: StoreBackend.available)
    func updateUserAppliesOrAbortsAtomically(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let ada = Fixtures.user(objectID: "u-ada", upn: "ada@contoso.test")
            let grace = Fixtures.user(objectID: "u-grace", upn: "grace@contoso.test")
            for user in [ada, grace] { try await store.createUser(user) }

            let updated = try await store.updateUser(tenantID: Fixtures.tenantID, objectID: "u-ada") { user in
                user.userPrincipalName = "Ada.Lovelace@contoso.test"
                user.accountEnabled = false
                user.totp?.lastAcceptedStep = 58_907_521
                user.passwordHash = nil
                user.tenantID = Fixtures.otherTenantID  // ignored: the identity cannot change
                user.objectID = "u-other"
            }
            var expected = ada
            expected.userPrincipalName = "Ada.Lovelace@contoso.test"
            expected.accountEnabled = false
            expected.totp?.lastAcceptedStep = 58_907_521
            expected.passwordHash = nil
            #expect(updated == expected)
            #expect(try await store.user(tenantID: Fixtures.tenantID, objectID: "u-ada") == expected)
            #expect(try await store.user(tenantID: Fixtures.tenantID, userPrincipalName: "ada.lovelace@contoso.test")
                    == expected)
            #expect(try await store.user(tenantID: Fixtures.tenantID, userPrincipalName: "ada@contoso.test") == nil)
            #expect(try await store.user(tenantID: Fixtures.otherTenantID, objectID: "u-other") == nil)

            // Removing the second factor clears every TOTP field; a case-only rename is allowed.
            let withoutTOTP = try await store.updateUser(tenantID: Fixtures.tenantID, objectID: "u-ada") { user in
                user.totp = nil
                user.userPrincipalName = "ada.lovelace@contoso.test"
            }
            #expect(withoutTOTP.totp == nil)
            #expect(try await store.user(tenantID: Fixtures.tenantID, objectID: "u-ada") == withoutTOTP)

            // Another user's UPN, in any case, is taken; nothing is stored.
            await #expect(throws: StoreError.alreadyExists) {
                try await store.updateUser(tenantID: Fixtures.tenantID, objectID: "u-ada") { user in
                    user.userPrincipalName = "GRACE@contoso.test"
                    user.displayName = "lost"
                }
            }
            await #expect(throws: Refused()) {
                try await store.updateUser(tenantID: Fixtures.tenantID, objectID: "u-ada") { user in
                    user.displayName = "lost"
                    throw Refused()
                }
            }
            #expect(try await store.user(tenantID: Fixtures.tenantID, objectID: "u-ada") == withoutTOTP)
            #expect(try await store.user(tenantID: Fixtures.tenantID, objectID: "u-grace") == grace)
            await #expect(throws: StoreError.notFound) {
                try await store.updateUser(tenantID: Fixtures.tenantID, objectID: "missing") { $0.displayName = "x" }
            }
            await #expect(throws: StoreError.notFound) {
                try await store.updateUser(tenantID: Fixtures.otherTenantID, objectID: "u-ada") { $0.displayName = "x" }
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func deleteUserRemovesItsMembershipEdges(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let ada = Fixtures.user(objectID: "u-ada", upn: "ada@contoso.test")
            try await store.createUser(ada)
            try await store.createUser(Fixtures.user(objectID: "u-grace", upn: "grace@contoso.test"))
            for groupID in ["g-admins", "g-ops"] {
                try await store.createGroup(Fixtures.group(objectID: groupID, displayName: groupID))
            }
            try await store.createGroup(Fixtures.group(tenantID: Fixtures.otherTenantID, objectID: "g-admins",
                                                       displayName: "admins"))
            let kept = [
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "u-grace", memberKind: .user),
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "g-ops", memberKind: .group),
                // Same member id in another tenant: another user's edge.
                GroupMembership(tenantID: Fixtures.otherTenantID, groupID: "g-admins", memberID: "u-ada",
                                memberKind: .user),
            ]
            let removed = [
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "u-ada", memberKind: .user),
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-ops", memberID: "u-ada", memberKind: .user),
            ]
            for edge in kept + removed { try await store.addMember(edge) }

            try await store.deleteUser(tenantID: Fixtures.tenantID, objectID: "u-ada")

            #expect(try await store.user(tenantID: Fixtures.tenantID, objectID: "u-ada") == nil)
            #expect(try await store.user(tenantID: Fixtures.tenantID, userPrincipalName: "ada@contoso.test") == nil)
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "u-ada").map(\.groupID).isEmpty)
            #expect(try await store.members(tenantID: Fixtures.tenantID, groupID: "g-admins") == [kept[1], kept[0]])
            #expect(try await store.members(tenantID: Fixtures.tenantID, groupID: "g-ops").isEmpty)
            #expect(try await store.memberships(tenantID: Fixtures.otherTenantID, directMemberID: "u-ada").map(\.groupID) == ["g-admins"])
            await #expect(throws: StoreError.notFound) {
                try await store.deleteUser(tenantID: Fixtures.tenantID, objectID: "u-ada")
            }
            // The UPN is free again.
            try await store.createUser(Fixtures.user(upn: "ADA@contoso.test"))
        }
    }

    @Test(arguments: StoreBackend.available)
    func deleteUserRemovesItsGrantsAndDirectoryRoles(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.createUser(Fixtures.user(objectID: "u-ada", upn: "ada@contoso.test"))
            try await store.createUser(Fixtures.user(objectID: "u-grace", upn: "grace@contoso.test"))
            for assignment in [Fixtures.directoryRoleAssignment(id: "dra-ada-1", principalID: "u-ada"),
                               Fixtures.directoryRoleAssignment(id: "dra-ada-2", role: Fixtures.groupsAdministrator,
                                                                principalID: "u-ada")] {
                try await store.createDirectoryRoleAssignment(assignment)
            }
            let keptRole = Fixtures.directoryRoleAssignment(id: "dra-grace", principalID: "u-grace")
            let elsewhereRole = Fixtures.directoryRoleAssignment(tenantID: Fixtures.otherTenantID, id: "dra-elsewhere",
                                                                 principalID: "u-ada")
            for assignment in [keptRole, elsewhereRole] { try await store.createDirectoryRoleAssignment(assignment) }
            try await store.createAppRoleAssignment(Fixtures.appRoleAssignment(id: "ara-ada", principalID: "u-ada", kind: .user))
            let keptGrant = Fixtures.appRoleAssignment(id: "ara-grace", principalID: "u-grace", kind: .user,
                                                       createdAt: Fixtures.date(1))
            let elsewhereGrant = Fixtures.appRoleAssignment(tenantID: Fixtures.otherTenantID, id: "ara-elsewhere",
                                                            principalID: "u-ada", kind: .user)
            for grant in [keptGrant, elsewhereGrant] { try await store.createAppRoleAssignment(grant) }

            try await store.deleteUser(tenantID: Fixtures.tenantID, objectID: "u-ada")

            #expect(try await store.directoryRoleAssignments(tenantID: Fixtures.tenantID, principalID: "u-ada").isEmpty)
            #expect(try await store.listDirectoryRoleAssignments(tenantID: Fixtures.tenantID) == [keptRole])
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, principalID: "u-ada").isEmpty)
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, resourceID: Fixtures.graphResourceID)
                    == [keptGrant])
            // The same object id in another tenant is another user.
            #expect(try await store.listDirectoryRoleAssignments(tenantID: Fixtures.otherTenantID) == [elsewhereRole])
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.otherTenantID, principalID: "u-ada") == [elsewhereGrant])
        }
    }

    @Test(arguments: StoreBackend.available)
    func directoryVersionMovesOnUserWrites(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            var seen: Set<Int64> = [try await store.directoryVersion()]
            func expectNewVersion(after write: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let version = try await store.directoryVersion()
                #expect(seen.insert(version).inserted, "directoryVersion did not change after \(write)",
                        sourceLocation: sourceLocation)
            }

            try await store.createUser(Fixtures.user(objectID: "u-ada", upn: "ada@contoso.test"))
            try await expectNewVersion(after: "createUser")
            try await store.updateUser(tenantID: Fixtures.tenantID, objectID: "u-ada") { $0.accountEnabled = false }
            try await expectNewVersion(after: "updateUser")
            try await store.updateUser(tenantID: Fixtures.tenantID, objectID: "u-ada") { $0.totp?.lastAcceptedStep = 1 }
            try await expectNewVersion(after: "updateUser (TOTP step)")
            try await store.deleteUser(tenantID: Fixtures.tenantID, objectID: "u-ada")
            try await expectNewVersion(after: "deleteUser")
        }
    }
}
