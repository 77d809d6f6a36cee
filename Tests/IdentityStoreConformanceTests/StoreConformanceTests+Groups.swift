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
            #expect(try await store.groupIDs(tenantID: Fixtures.tenantID, directMemberID: "u-1") == ["g-admins", "g-ops"])
            #expect(try await store.groupIDs(tenantID: Fixtures.tenantID, directMemberID: "g-ops") == ["g-admins"])
            #expect(try await store.groupIDs(tenantID: Fixtures.tenantID, directMemberID: "nobody").isEmpty)
            #expect(try await store.groupIDs(tenantID: Fixtures.otherTenantID, directMemberID: "u-1").isEmpty)

            await #expect(throws: StoreError.alreadyExists) { try await store.addMember(edges[0]) }
            await #expect(throws: StoreError.notFound) {
                try await store.addMember(GroupMembership(tenantID: Fixtures.tenantID, groupID: "missing",
                                                          memberID: "u-1", memberKind: .user))
            }

            try await store.removeMember(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "u-1")
            #expect(try await store.groupIDs(tenantID: Fixtures.tenantID, directMemberID: "u-1") == ["g-ops"])
            await #expect(throws: StoreError.notFound) {
                try await store.removeMember(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "u-1")
            }
        }
    }
}
