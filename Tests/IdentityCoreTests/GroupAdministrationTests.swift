import Foundation
import IdentityCore
import IdentityTesting
import Testing

@Suite("Group administration")
struct GroupAdministrationTests {
    private static func contoso() async throws -> (TestIssuer, Tenant) {
        let test = try await TestIssuer.make()
        return (test, try await test.administration.createTenant(name: "contoso"))
    }

    @Test func createAndListWithDisplayNameFilter() async throws {
        let (test, tenant) = try await Self.contoso()
        let admin = test.administration
        let admins = try await admin.createGroup(tenant: "contoso", displayName: "k8s-admins", mailNickname: nil)
        let readers = try await admin.createGroup(tenant: tenant.id, displayName: "O'Brien readers", mailNickname: "readers")
        #expect(admins.tenantID == tenant.id)
        #expect(admins.mailNickname == "k8s-admins")
        #expect(readers.mailNickname == "readers")
        #expect(ObjectID.canonical(admins.objectID) == admins.objectID)

        #expect(try await admin.listGroups(tenant: "contoso").map(\.objectID) == [readers.objectID, admins.objectID])
        #expect(try await admin.listGroups(tenant: "contoso", filter: "displayName eq 'k8s-admins'") == [admins])
        #expect(try await admin.listGroups(tenant: "contoso", filter: "  DISPLAYNAME   eq 'k8s-admins' ") == [admins])
        #expect(try await admin.listGroups(tenant: "contoso", filter: "displayName eq 'O''Brien readers'") == [readers])
        #expect(try await admin.listGroups(tenant: "contoso", filter: "mailNickname eq 'readers'") == [readers])
        // Values compare exactly.
        #expect(try await admin.listGroups(tenant: "contoso", filter: "displayName eq 'K8S-ADMINS'").isEmpty)
        #expect(try await admin.listGroups(tenant: "contoso", filter: "displayName eq 'nobody'").isEmpty)
        #expect(try await admin.group(tenant: "contoso", id: admins.objectID.uppercased()) == admins)
    }

    @Test(arguments: ["startswith(displayName,'k8s')", "id eq 'x'", "displayName ne 'x'", "displayName eq x",
                      "displayName eq 'a' or displayName eq 'b'", ""])
    func unsupportedFiltersAreRefused(_ filter: String) async throws {
        let (test, _) = try await Self.contoso()
        _ = try await test.administration.createGroup(tenant: "contoso", displayName: "x", mailNickname: nil)
        await #expect(throws: AdministrationError.invalidArgument("")) {
            try await test.administration.listGroups(tenant: "contoso", filter: filter)
        }
    }

    @Test(arguments: ["", "   ", String(repeating: "g", count: 257)])
    func displayNameMustHaveOneTo256Characters(_ name: String) async throws {
        let (test, _) = try await Self.contoso()
        await #expect(throws: AdministrationError.invalidArgument("")) {
            try await test.administration.createGroup(tenant: "contoso", displayName: name, mailNickname: nil)
        }
    }

    @Test func unknownMemberIsNotFound() async throws {
        let (test, _) = try await Self.contoso()
        let group = try await test.administration.createGroup(tenant: "contoso", displayName: "g", mailNickname: nil)
        await #expect(throws: AdministrationError.notFound("")) {
            try await test.administration.addGroupMember(tenant: "contoso", groupID: group.objectID, memberID: ObjectID.make())
        }
        await #expect(throws: AdministrationError.notFound("")) {
            try await test.administration.addGroupMember(tenant: "contoso", groupID: ObjectID.make(), memberID: group.objectID)
        }
        await #expect(throws: AdministrationError.invalidArgument("")) {
            try await test.administration.addGroupMember(tenant: "contoso", groupID: group.objectID, memberID: "pipeline")
        }
        #expect(try await test.administration.listGroupMembers(tenant: "contoso", groupID: group.objectID).isEmpty)
    }

    @Test func aMemberOfAnotherTenantIsNotFound() async throws {
        let (test, _) = try await Self.contoso()
        _ = try await test.administration.createTenant(name: "fabrikam")
        let foreign = try await test.administration.createGroup(tenant: "fabrikam", displayName: "f", mailNickname: nil)
        let group = try await test.administration.createGroup(tenant: "contoso", displayName: "g", mailNickname: nil)
        await #expect(throws: AdministrationError.notFound("")) {
            try await test.administration.addGroupMember(tenant: "contoso", groupID: group.objectID, memberID: foreign.objectID)
        }
    }

    @Test func cyclesAreRefused() async throws {
        let (test, _) = try await Self.contoso()
        let admin = test.administration
        let a = try await admin.createGroup(tenant: "contoso", displayName: "a", mailNickname: nil)
        let b = try await admin.createGroup(tenant: "contoso", displayName: "b", mailNickname: nil)
        let c = try await admin.createGroup(tenant: "contoso", displayName: "c", mailNickname: nil)

        await #expect(throws: AdministrationError.invalidArgument("")) {
            try await admin.addGroupMember(tenant: "contoso", groupID: a.objectID, memberID: a.objectID)
        }
        try await admin.addGroupMember(tenant: "contoso", groupID: b.objectID, memberID: a.objectID)  // a ∈ b
        await #expect(throws: AdministrationError.invalidArgument("")) {
            try await admin.addGroupMember(tenant: "contoso", groupID: a.objectID, memberID: b.objectID)  // b ∈ a
        }
        try await admin.addGroupMember(tenant: "contoso", groupID: c.objectID, memberID: b.objectID)  // b ∈ c
        let error = await #expect(throws: AdministrationError.invalidArgument("")) {
            try await admin.addGroupMember(tenant: "contoso", groupID: a.objectID, memberID: c.objectID)  // c ∈ a: a→b→c→a
        }
        #expect(error?.message.contains("cycle") == true)
        #expect(try await admin.listGroupMembers(tenant: "contoso", groupID: a.objectID).isEmpty)
    }

    @Test func duplicateMembershipIsAlreadyExists() async throws {
        let (test, _) = try await Self.contoso()
        let admin = test.administration
        let outer = try await admin.createGroup(tenant: "contoso", displayName: "outer", mailNickname: nil)
        let inner = try await admin.createGroup(tenant: "contoso", displayName: "inner", mailNickname: nil)
        try await admin.addGroupMember(tenant: "contoso", groupID: outer.objectID, memberID: inner.objectID)
        await #expect(throws: AdministrationError.alreadyExists("")) {
            try await admin.addGroupMember(tenant: "contoso", groupID: outer.objectID, memberID: inner.objectID.uppercased())
        }
        let members = try await admin.listGroupMembers(tenant: "contoso", groupID: outer.objectID)
        #expect(members.map(\.memberID) == [inner.objectID])
        #expect(members.map(\.memberKind) == [.group])
    }

    @Test func transitiveGroupsFollowThreeLevels() async throws {
        let (test, _) = try await Self.contoso()
        let admin = test.administration
        let level1 = try await admin.createGroup(tenant: "contoso", displayName: "level1", mailNickname: nil)
        let level2 = try await admin.createGroup(tenant: "contoso", displayName: "level2", mailNickname: nil)
        let level3 = try await admin.createGroup(tenant: "contoso", displayName: "level3", mailNickname: nil)
        let unrelated = try await admin.createGroup(tenant: "contoso", displayName: "unrelated", mailNickname: nil)
        let pipeline = try await admin.createServicePrincipalForRBAC(tenant: "contoso", name: "pipeline", credential: .secret)
        let principalID = pipeline.servicePrincipal.objectID

        try await admin.addGroupMember(tenant: "contoso", groupID: level1.objectID, memberID: principalID)
        try await admin.addGroupMember(tenant: "contoso", groupID: level2.objectID, memberID: level1.objectID)
        try await admin.addGroupMember(tenant: "contoso", groupID: level3.objectID, memberID: level2.objectID)

        let expected = [level1.objectID, level2.objectID, level3.objectID].sorted()
        #expect(try await admin.transitiveGroups(tenant: "contoso", memberID: principalID) == expected)
        #expect(try await admin.transitiveGroups(tenant: "contoso", memberID: level2.objectID) == [level3.objectID])
        #expect(try await admin.transitiveGroups(tenant: "contoso", memberID: unrelated.objectID).isEmpty)
        let members = try await admin.listGroupMembers(tenant: "contoso", groupID: level1.objectID)
        #expect(members.map(\.memberKind) == [.servicePrincipal])

        // Removing the middle edge cuts the chain above it.
        try await admin.removeGroupMember(tenant: "contoso", groupID: level2.objectID, memberID: level1.objectID)
        #expect(try await admin.transitiveGroups(tenant: "contoso", memberID: principalID) == [level1.objectID])
        await #expect(throws: AdministrationError.notFound("")) {
            try await admin.removeGroupMember(tenant: "contoso", groupID: level2.objectID, memberID: level1.objectID)
        }
    }
}
