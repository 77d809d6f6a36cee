import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func groupsCreateGetAndList(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let admins = Fixtures.group(objectID: "b-admins", displayName: "admins")
            let viewers = Fixtures.group(objectID: "c-viewers", displayName: "viewers")
            let adminsToo = Fixtures.group(objectID: "a-admins", displayName: "admins")
            let elsewhere = Fixtures.group(tenantID: Fixtures.otherTenantID, objectID: "b-admins", displayName: "x")
            for group in [viewers, admins, adminsToo, elsewhere] { try await store.createGroup(group) }

            #expect(try await store.group(tenantID: Fixtures.tenantID, objectID: "b-admins") == admins)
            #expect(try await store.group(tenantID: Fixtures.otherTenantID, objectID: "b-admins") == elsewhere)
            #expect(try await store.group(tenantID: Fixtures.tenantID, objectID: "missing") == nil)
            #expect(try await store.listGroups(tenantID: Fixtures.tenantID) == [adminsToo, admins, viewers])
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createGroup(Fixtures.group(objectID: "b-admins", displayName: "again"))
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func membershipEdges(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let admins = Fixtures.group(objectID: "g-admins", displayName: "admins")
            let ops = Fixtures.group(objectID: "g-ops", displayName: "ops")
            for group in [admins, ops] { try await store.createGroup(group) }
            let edges = [
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "u-2", memberKind: .user),
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "g-ops", memberKind: .group),
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "u-1", memberKind: .user),
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-ops", memberID: "u-1", memberKind: .user),
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-ops", memberID: "sp-1",
                                memberKind: .servicePrincipal),
            ]
            for edge in edges { try await store.addMember(edge) }

            #expect(try await store.members(tenantID: Fixtures.tenantID, groupID: "g-admins")
                    == [edges[1], edges[2], edges[0]])
            #expect(try await store.members(tenantID: Fixtures.tenantID, groupID: "g-ops") == [edges[4], edges[3]])
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "u-1").map(\.groupID) == ["g-admins", "g-ops"])
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "g-ops").map(\.groupID) == ["g-admins"])
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "nobody").map(\.groupID).isEmpty)
            #expect(try await store.memberships(tenantID: Fixtures.otherTenantID, directMemberID: "u-1").map(\.groupID).isEmpty)

            await #expect(throws: StoreError.alreadyExists) { try await store.addMember(edges[0]) }
            await #expect(throws: StoreError.notFound) {
                try await store.addMember(GroupMembership(tenantID: Fixtures.tenantID, groupID: "missing",
                                                          memberID: "u-1", memberKind: .user))
            }

            try await store.removeMember(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "u-1")
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "u-1").map(\.groupID) == ["g-ops"])
            await #expect(throws: StoreError.notFound) {
                try await store.removeMember(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "u-1")
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func groupDescriptionRoundTrips(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            var described = Fixtures.group(objectID: "g-described", displayName: "described")
            described.description = "Operators of the prod clusters. «ünïcode» too"
            let plain = Fixtures.group(objectID: "g-plain", displayName: "plain")
            for group in [described, plain] { try await store.createGroup(group) }
            #expect(try await store.group(tenantID: Fixtures.tenantID, objectID: "g-described") == described)
            #expect(try await store.group(tenantID: Fixtures.tenantID, objectID: "g-plain")?.description == nil)
            #expect(try await store.listGroups(tenantID: Fixtures.tenantID) == [described, plain])
        }
    }

    @Test(arguments: StoreBackend.available)
    func updateGroupAppliesOrAbortsAtomically(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let ops = Fixtures.group(objectID: "g-ops", displayName: "ops")
            let elsewhere = Fixtures.group(tenantID: Fixtures.otherTenantID, objectID: "g-ops", displayName: "ops")
            for group in [ops, elsewhere] { try await store.createGroup(group) }

            let updated = try await store.updateGroup(tenantID: Fixtures.tenantID, objectID: "g-ops") { group in
                group.displayName = "Operations"
                group.mailNickname = "operations"
                group.description = "on call"
                group.tenantID = Fixtures.otherTenantID     // ignored: the identity cannot change
                group.objectID = "g-other"
                group.createdAt = Fixtures.date(60)
            }
            var expected = ops
            expected.displayName = "Operations"
            expected.mailNickname = "operations"
            expected.description = "on call"
            #expect(updated == expected)
            #expect(try await store.group(tenantID: Fixtures.tenantID, objectID: "g-ops") == expected)
            #expect(try await store.group(tenantID: Fixtures.tenantID, objectID: "g-other") == nil)
            #expect(try await store.group(tenantID: Fixtures.otherTenantID, objectID: "g-ops") == elsewhere)

            // The description can be cleared again.
            let cleared = try await store.updateGroup(tenantID: Fixtures.tenantID, objectID: "g-ops") { $0.description = nil }
            expected.description = nil
            #expect(cleared == expected)
            #expect(try await store.group(tenantID: Fixtures.tenantID, objectID: "g-ops") == expected)

            await #expect(throws: Refused()) {
                try await store.updateGroup(tenantID: Fixtures.tenantID, objectID: "g-ops") { group in
                    group.displayName = "lost"
                    throw Refused()
                }
            }
            #expect(try await store.group(tenantID: Fixtures.tenantID, objectID: "g-ops") == expected)
            await #expect(throws: StoreError.notFound) {
                try await store.updateGroup(tenantID: Fixtures.tenantID, objectID: "missing") { $0.displayName = "x" }
            }
            await #expect(throws: StoreError.notFound) {
                try await store.updateGroup(tenantID: Fixtures.otherTenantID, objectID: "g-other") { $0.displayName = "x" }
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func deleteGroupRemovesItsEdgesAndGrants(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            for groupID in ["g-ops", "g-admins", "g-viewers"] {
                try await store.createGroup(Fixtures.group(objectID: groupID, displayName: groupID))
            }
            let elsewhere = Fixtures.group(tenantID: Fixtures.otherTenantID, objectID: "g-ops", displayName: "ops")
            try await store.createGroup(elsewhere)
            let prod = Fixtures.cluster(name: "prod")      // names g-admins and g-ops as admin groups
            try await store.createCluster(prod)

            let removedEdges = [
                // Its members, and it as a member of another group.
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-ops", memberID: "u-ada", memberKind: .user),
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-ops", memberID: "g-viewers", memberKind: .group),
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-ops", memberID: "sp-1", memberKind: .servicePrincipal),
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "g-ops", memberKind: .group),
            ]
            let keptEdges = [
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "u-ada", memberKind: .user),
                GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "g-viewers", memberKind: .group),
                GroupMembership(tenantID: Fixtures.otherTenantID, groupID: "g-ops", memberID: "u-ada", memberKind: .user),
            ]
            for edge in removedEdges + keptEdges { try await store.addMember(edge) }

            let groupRole = Fixtures.roleAssignment(id: "ra-ops", cluster: prod, principalID: "g-ops", principalType: .group)
            let otherGroupRole = Fixtures.roleAssignment(id: "ra-viewers", cluster: prod, principalID: "g-viewers",
                                                         principalType: .group)
            let userRole = Fixtures.roleAssignment(id: "ra-ada", cluster: prod, principalID: "u-ada")
            for assignment in [groupRole, otherGroupRole, userRole] { try await store.createRoleAssignment(assignment) }

            let groupGrant = Fixtures.appRoleAssignment(id: "ara-ops", principalID: "g-ops", kind: .group)
            let otherGroupGrant = Fixtures.appRoleAssignment(id: "ara-viewers", principalID: "g-viewers", kind: .group,
                                                             createdAt: Fixtures.date(1))
            let elsewhereGrant = Fixtures.appRoleAssignment(tenantID: Fixtures.otherTenantID, id: "ara-elsewhere",
                                                            principalID: "g-ops", kind: .group)
            for grant in [groupGrant, otherGroupGrant, elsewhereGrant] { try await store.createAppRoleAssignment(grant) }

            try await store.deleteGroup(tenantID: Fixtures.tenantID, objectID: "g-ops")

            #expect(try await store.group(tenantID: Fixtures.tenantID, objectID: "g-ops") == nil)
            #expect(try await store.listGroups(tenantID: Fixtures.tenantID).map(\.objectID) == ["g-admins", "g-viewers"])
            #expect(try await store.members(tenantID: Fixtures.tenantID, groupID: "g-ops").isEmpty)
            #expect(try await store.members(tenantID: Fixtures.tenantID, groupID: "g-admins") == [keptEdges[1], keptEdges[0]])
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "g-ops").map(\.groupID).isEmpty)
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "g-viewers").map(\.groupID) == ["g-admins"])
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "sp-1").map(\.groupID).isEmpty)
            #expect(try await store.listRoleAssignments(tenantID: Fixtures.tenantID).map(\.id) == ["ra-ada", "ra-viewers"])
            #expect(try await store.appRoleAssignment(tenantID: Fixtures.tenantID, id: "ara-ops") == nil)
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, resourceID: Fixtures.graphResourceID)
                    == [otherGroupGrant])
            // Clusters keep the id among their admin groups.
            #expect(try await store.cluster(tenantID: Fixtures.tenantID, objectID: prod.objectID) == prod)
            // The same object id in another tenant is another group.
            #expect(try await store.group(tenantID: Fixtures.otherTenantID, objectID: "g-ops") == elsewhere)
            #expect(try await store.members(tenantID: Fixtures.otherTenantID, groupID: "g-ops") == [keptEdges[2]])
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.otherTenantID, principalID: "g-ops") == [elsewhereGrant])

            await #expect(throws: StoreError.notFound) { try await store.deleteGroup(tenantID: Fixtures.tenantID, objectID: "g-ops") }
            await #expect(throws: StoreError.notFound) {
                try await store.deleteGroup(tenantID: Fixtures.tenantID, objectID: "missing")
            }
            // A new group with the same id starts without the old edges and grants.
            try await store.createGroup(Fixtures.group(objectID: "g-ops", displayName: "again"))
            #expect(try await store.members(tenantID: Fixtures.tenantID, groupID: "g-ops").isEmpty)
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "g-ops").map(\.groupID).isEmpty)
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, principalID: "g-ops").isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func groupWritesMoveDirectoryVersion(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            var seen: Set<Int64> = [try await store.directoryVersion()]
            func expectNewVersion(after write: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                #expect(seen.insert(try await store.directoryVersion()).inserted, "directoryVersion did not change after \(write)",
                        sourceLocation: sourceLocation)
            }
            try await store.createGroup(Fixtures.group(objectID: "g-ops", displayName: "ops"))
            try await expectNewVersion(after: "createGroup")
            try await store.updateGroup(tenantID: Fixtures.tenantID, objectID: "g-ops") { $0.description = "on call" }
            try await expectNewVersion(after: "updateGroup")
            try await store.deleteGroup(tenantID: Fixtures.tenantID, objectID: "g-ops")
            try await expectNewVersion(after: "deleteGroup")
        }
    }
}
