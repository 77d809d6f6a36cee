import Foundation

/// Groups and memberships.
extension DirectoryAdministration {
    public func createGroup(tenant idOrName: String, displayName: String, mailNickname: String?,
                            description: String? = nil) async throws -> Group {
        let tenant = try await tenant(idOrName)
        let trimmed = try Self.checkDisplayName(displayName)
        let nickname = mailNickname ?? Self.defaultMailNickname(for: trimmed)
        let group = Group(tenantID: tenant.id, objectID: ObjectID.make(), displayName: trimmed,
                          mailNickname: nickname, createdAt: clock.now(), description: description)
        try await store.createGroup(group)
        await recordChange("group.created", tenantID: tenant.id, subject: group.objectID,
                           details: ["displayName": group.displayName])
        return group
    }

    /// Groups of the tenant, optionally filtered by an OData expression of the form
    /// `displayName eq 'Name'` (property name ignoring case, as `az ad group list --filter`).
    public func listGroups(tenant idOrName: String, filter: String? = nil) async throws -> [Group] {
        let tenant = try await tenant(idOrName)
        let groups = try await store.listGroups(tenantID: tenant.id)
        guard let filter else { return groups }
        let predicate = try GroupFilter(filter)
        return groups.filter(predicate.matches)
    }

    public func group(tenant idOrName: String, id: String) async throws -> Group {
        let tenant = try await tenant(idOrName)
        return try await requireGroup(tenantID: tenant.id, id: id)
    }

    /// Adds `memberID` (a user, group or service principal object id) to the group, refusing unknown members and membership cycles.
    public func addGroupMember(tenant idOrName: String, groupID: String, memberID: String) async throws {
        let tenant = try await tenant(idOrName)
        let group = try await requireGroup(tenantID: tenant.id, id: groupID)
        guard let member = ObjectID.canonical(memberID) else {
            throw AdministrationError(.invalidArgument, "\(field: "memberId") '\(memberID)' is not an object id (GUID)")
        }
        guard let kind = try await memberKind(tenantID: tenant.id, objectID: member) else {
            throw AdministrationError.notFound("no user, group or service principal with object id '\(member)' in tenant '\(tenant.name)'")
        }
        if kind == .group,
           try await GroupMembershipResolver(store: store).wouldCreateCycle(tenantID: tenant.id, groupID: group.objectID,
                                                                           candidateMemberID: member, at: clock.now()) {
            throw AdministrationError.invalidArgument("adding group '\(member)' to '\(group.objectID)' would create a membership cycle")
        }
        try await removeEndedEdge(tenantID: tenant.id, groupID: group.objectID, memberID: member)
        do {
            try await store.addMember(GroupMembership(tenantID: tenant.id, groupID: group.objectID,
                                                      memberID: member, memberKind: kind))
        } catch let error as StoreError where error.code == .alreadyExists {
            throw AdministrationError.alreadyExists("'\(member)' is already a member of group '\(group.objectID)'")
        }
        await recordChange("group.member-added", tenantID: tenant.id, subject: group.objectID,
                           details: ["member": member, "memberKind": kind.rawValue])
    }

    public func removeGroupMember(tenant idOrName: String, groupID: String, memberID: String) async throws {
        let tenant = try await tenant(idOrName)
        let group = try await requireGroup(tenantID: tenant.id, id: groupID)
        let member = ObjectID.canonical(memberID) ?? memberID
        let edge = try await store.memberships(tenantID: tenant.id, directMemberID: member).first { $0.groupID == group.objectID }
        if let edge, edge.scheduleID != nil {
            // A just-in-time activation or time-bound assignment: its schedule ends with the edge.
            try await PrivilegedAccess(store: store, clock: clock).endSchedule(of: edge, actor: actor)
        } else {
            do {
                try await store.removeMember(tenantID: tenant.id, groupID: group.objectID, memberID: member)
            } catch let error as StoreError where error.code == .notFound {
                throw AdministrationError.notFound("'\(member)' is not a direct member of group '\(group.objectID)'")
            }
        }
        await recordChange("group.member-removed", tenantID: tenant.id, subject: group.objectID, details: ["member": member])
    }

    public func listGroupMembers(tenant idOrName: String, groupID: String) async throws -> [GroupMembership] {
        let tenant = try await tenant(idOrName)
        let group = try await requireGroup(tenantID: tenant.id, id: groupID)
        let now = clock.now()
        return try await store.members(tenantID: tenant.id, groupID: group.objectID).filter { $0.isActive(at: now) }
    }

    /// An ended time-bound edge (a past activation) stays in the store until it is tidied; a new
    /// edge between the same two takes its place.
    func removeEndedEdge(tenantID: String, groupID: String, memberID: String) async throws {
        let now = clock.now()
        let ended = try await store.memberships(tenantID: tenantID, directMemberID: memberID)
            .contains { $0.groupID == groupID && $0.hasEnded(at: now) }
        guard ended else { return }
        do {
            try await store.removeMember(tenantID: tenantID, groupID: groupID, memberID: memberID)
        } catch let error as StoreError where error.code == .notFound {
            // Tidied meanwhile.
        }
    }

    /// The groups `memberID` is a direct member of now, ordered by id.
    public func directGroups(tenant idOrName: String, memberID: String) async throws -> [String] {
        let tenant = try await tenant(idOrName)
        let now = clock.now()
        return try await store.memberships(tenantID: tenant.id, directMemberID: ObjectID.canonical(memberID) ?? memberID)
            .filter { $0.isActive(at: now) }.map(\.groupID)
    }

    /// Transitive groups of any member, as tokens would carry them.
    public func transitiveGroups(tenant idOrName: String, memberID: String) async throws -> [String] {
        let tenant = try await tenant(idOrName)
        return try await GroupMembershipResolver(store: store)
            .transitiveGroupIDs(tenantID: tenant.id, memberID: ObjectID.canonical(memberID) ?? memberID, at: clock.now())
    }

    /// Changes a group's name, description or mail nickname (nil leaves a property as it is).
    public func updateGroup(tenant idOrName: String, id: String, displayName: String? = nil, description: String?? = nil,
                            mailNickname: String? = nil) async throws -> Group {
        let tenant = try await tenant(idOrName)
        let group = try await requireGroup(tenantID: tenant.id, id: id)
        let name = try displayName.map(Self.checkDisplayName)
        let updated = try await store.updateGroup(tenantID: tenant.id, objectID: group.objectID) { group in
            if let name { group.displayName = name }
            if let description { group.description = description }
            if let mailNickname { group.mailNickname = mailNickname }
        }
        await recordChange("group.updated", tenantID: tenant.id, subject: group.objectID,
                           details: ["displayName": updated.displayName])
        return updated
    }

    /// Deletes a group with its membership edges and the role assignments and permissions
    /// granted to it. Clusters naming it as their admin group keep the id, which then matches
    /// nobody.
    public func deleteGroup(tenant idOrName: String, id: String) async throws {
        let tenant = try await tenant(idOrName)
        let group = try await requireGroup(tenantID: tenant.id, id: id)
        try await store.deleteGroup(tenantID: tenant.id, objectID: group.objectID)
        await recordChange("group.deleted", tenantID: tenant.id, subject: group.objectID,
                           details: ["displayName": group.displayName])
    }

    static func checkDisplayName(_ displayName: String) throws -> String {
        let trimmed = displayName.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 256 else {
            throw AdministrationError(.invalidArgument, "\(field: "displayName") must be 1-256 characters")
        }
        return trimmed
    }
}
