import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    private static let start = Date(timeIntervalSince1970: 1_800_000_000)

    private static func activation(id: String = ObjectID.make(), groupID: String = "g-admins", principalID: String = "u-ada",
                                   endsAt: Date?) -> (PrivilegedAccessRequest, PrivilegedAccessSchedule, GroupMembership) {
        let scheduleID = PrivilegedAccessSchedule.makeID(groupID: groupID, access: .member, requestID: id)
        let request = PrivilegedAccessRequest(
            id: id, tenantID: Fixtures.tenantID, kind: .assignment, action: .selfActivate, groupID: groupID,
            principalID: principalID, access: .member, status: .provisioned, createdBy: .init(kind: .user, objectID: principalID),
            createdAt: start, completedAt: start, justification: "incident 42",
            schedule: PrivilegedAccessWindow(startsAt: start, expiration: .afterDuration, duration: 3600, endsAt: endsAt),
            targetScheduleID: scheduleID)
        let schedule = PrivilegedAccessSchedule(
            id: scheduleID, tenantID: Fixtures.tenantID, kind: .assignment, groupID: groupID, principalID: principalID,
            access: .member, assignmentType: .activated, startsAt: start, endsAt: endsAt, createdUsing: id, createdAt: start,
            modifiedAt: start)
        let edge = GroupMembership(tenantID: Fixtures.tenantID, groupID: groupID, memberID: principalID, memberKind: .user,
                                   startsAt: start, endsAt: endsAt, scheduleID: scheduleID)
        return (request, schedule, edge)
    }

    private static func with(_ request: PrivilegedAccessRequest, status: PrivilegedAccessRequest.Status) -> PrivilegedAccessRequest {
        var changed = request
        changed.status = status
        return changed
    }

    @Test(arguments: StoreBackend.available)
    func timeBoundMembershipEdgesKeepTheirWindow(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.createGroup(Fixtures.group(objectID: "g-admins", displayName: "admins"))
            let edge = GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-admins", memberID: "u-ada", memberKind: .user,
                                       startsAt: Self.start, endsAt: Self.start.addingTimeInterval(60), scheduleID: "s-1")
            try await store.addMember(edge)
            #expect(try await store.members(tenantID: Fixtures.tenantID, groupID: "g-admins") == [edge])
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "u-ada") == [edge])
            #expect(edge.isActive(at: Self.start) && !edge.isActive(at: Self.start.addingTimeInterval(60)))
        }
    }

    @Test(arguments: StoreBackend.available)
    func anActivationStoresRequestScheduleAndEdgeTogether(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.createGroup(Fixtures.group(objectID: "g-admins", displayName: "admins"))
            let end = Self.start.addingTimeInterval(3600)
            let (request, schedule, edge) = Self.activation(endsAt: end)
            let versionBefore = try await store.directoryVersion()
            try await store.commitPrivilegedAccess(PrivilegedAccessChange(
                request: request, schedule: .create(schedule), membership: .add(edge), now: Self.start))
            #expect(try await store.directoryVersion() != versionBefore)
            #expect(try await store.privilegedAccessRequest(tenantID: Fixtures.tenantID, id: request.id) == request)
            #expect(try await store.privilegedAccessRequests(tenantID: Fixtures.tenantID, kind: .assignment) == [request])
            #expect(try await store.privilegedAccessRequests(tenantID: Fixtures.tenantID, kind: .eligibility).isEmpty)
            #expect(try await store.privilegedAccessSchedule(tenantID: Fixtures.tenantID, id: schedule.id) == schedule)
            #expect(try await store.privilegedAccessSchedules(tenantID: Fixtures.tenantID, kind: .assignment) == [schedule])
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "u-ada") == [edge])

            // A second live activation for the same principal, group and access fails whole.
            let (again, againSchedule, againEdge) = Self.activation(endsAt: end)
            await #expect(throws: StoreError.alreadyExists) {
                try await store.commitPrivilegedAccess(PrivilegedAccessChange(
                    request: again, schedule: .create(againSchedule), membership: .add(againEdge), now: Self.start))
            }
            #expect(try await store.privilegedAccessRequest(tenantID: Fixtures.tenantID, id: again.id) == nil)

            // Once it has ended, a new one takes its place (schedule and edge).
            let later = end.addingTimeInterval(1)
            var (next, nextSchedule, nextEdge) = Self.activation(endsAt: later.addingTimeInterval(3600))
            nextEdge.startsAt = later
            try await store.commitPrivilegedAccess(PrivilegedAccessChange(
                request: next, schedule: .create(nextSchedule), membership: .add(nextEdge), now: later))
            #expect(try await store.privilegedAccessSchedules(tenantID: Fixtures.tenantID, kind: .assignment) == [nextSchedule])
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "u-ada") == [nextEdge])

            // Ending it removes schedule and edge together.
            next.status = .revoked
            var end2 = next
            end2.id = ObjectID.make()
            try await store.commitPrivilegedAccess(PrivilegedAccessChange(
                request: end2, schedule: .delete(id: nextSchedule.id), membership: .remove(scheduleID: nextSchedule.id), now: later))
            #expect(try await store.privilegedAccessSchedules(tenantID: Fixtures.tenantID, kind: .assignment).isEmpty)
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "u-ada").isEmpty)
            _ = next
        }
    }

    @Test(arguments: StoreBackend.available)
    func aPendingRequestIsDecidedOnce(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.createGroup(Fixtures.group(objectID: "g-admins", displayName: "admins"))
            let (made, schedule, edge) = Self.activation(endsAt: Self.start.addingTimeInterval(3600))
            let request = Self.with(made, status: .pendingApproval)
            try await store.commitPrivilegedAccess(PrivilegedAccessChange(request: request, now: Self.start))
            let approved = Self.with(request, status: .provisioned)
            let canceled = Self.with(request, status: .canceled)
            // Approval and cancellation race: exactly one wins, and a lost approval grants nothing.
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    (try? await store.commitPrivilegedAccess(PrivilegedAccessChange(
                        request: approved, expectedStatus: .pendingApproval, schedule: .create(schedule),
                        membership: .add(edge), now: Self.start))) != nil
                }
                group.addTask {
                    (try? await store.commitPrivilegedAccess(PrivilegedAccessChange(
                        request: canceled, expectedStatus: .pendingApproval, now: Self.start))) != nil
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            let stored = try #require(try await store.privilegedAccessRequest(tenantID: Fixtures.tenantID, id: request.id))
            let edges = try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "u-ada")
            #expect(stored.status == .provisioned ? edges == [edge] : (stored.status == .canceled && edges.isEmpty))
            await #expect(throws: StoreError.conflict) {
                try await store.commitPrivilegedAccess(PrivilegedAccessChange(
                    request: canceled, expectedStatus: .pendingApproval, now: Self.start))
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func racedActivationsGrantOnce(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.createGroup(Fixtures.group(objectID: "g-admins", displayName: "admins"))
            let attempts = (0..<8).map { _ in Self.activation(endsAt: Self.start.addingTimeInterval(3600)) }
            let won = await withTaskGroup(of: Bool.self) { group in
                for (request, schedule, edge) in attempts {
                    group.addTask {
                        do {
                            try await store.commitPrivilegedAccess(PrivilegedAccessChange(
                                request: request, schedule: .create(schedule), membership: .add(edge), now: Self.start))
                            return true
                        } catch let error as StoreError where error.code == .alreadyExists {
                            return false
                        } catch {
                            Issue.record("a lost race must be alreadyExists, got \(error)")
                            return false
                        }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(won == 1)
            #expect(try await store.privilegedAccessSchedules(tenantID: Fixtures.tenantID, kind: .assignment).count == 1)
            #expect(try await store.privilegedAccessRequests(tenantID: Fixtures.tenantID, kind: .assignment).count == 1)
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "u-ada").count == 1)
        }
    }

    @Test(arguments: StoreBackend.available)
    func endedPrivilegedAccessIsTidiedAndReturned(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.createGroup(Fixtures.group(objectID: "g-admins", displayName: "admins"))
            let end = Self.start.addingTimeInterval(60)
            let (request, schedule, edge) = Self.activation(endsAt: end)
            try await store.commitPrivilegedAccess(PrivilegedAccessChange(
                request: request, schedule: .create(schedule), membership: .add(edge), now: Self.start))
            let (other, otherSchedule, otherEdge) = Self.activation(principalID: "u-bob", endsAt: end.addingTimeInterval(3600))
            try await store.commitPrivilegedAccess(PrivilegedAccessChange(
                request: other, schedule: .create(otherSchedule), membership: .add(otherEdge), now: Self.start))

            #expect(try await store.deleteEndedPrivilegedAccess(before: end, limit: 100).isEmpty)
            #expect(try await store.deleteEndedPrivilegedAccess(before: end.addingTimeInterval(1), limit: 100) == [schedule])
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "u-ada").isEmpty)
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: "u-bob") == [otherEdge])
            #expect(try await store.privilegedAccessSchedules(tenantID: Fixtures.tenantID, kind: .assignment) == [otherSchedule])
            // Requests are history: they stay.
            #expect(try await store.privilegedAccessRequests(tenantID: Fixtures.tenantID, kind: .assignment).count == 2)
        }
    }

    @Test(arguments: StoreBackend.available)
    func privilegedAccessPoliciesUpsertAndGoWithTheirGroup(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.createGroup(Fixtures.group(objectID: "g-admins", displayName: "admins"))
            #expect(try await store.privilegedAccessPolicy(tenantID: Fixtures.tenantID, groupID: "g-admins", access: .member) == nil)
            var policy = PrivilegedAccessPolicy.defaults(tenantID: Fixtures.tenantID, groupID: "g-admins", access: .member)
            policy.approvers = [.user("u-boss"), .groupMembers("g-approvers")]
            policy.approvalRequired = true
            try await store.savePrivilegedAccessPolicy(policy)
            policy.maximumActivationDuration = 60
            try await store.savePrivilegedAccessPolicy(policy)
            #expect(try await store.privilegedAccessPolicy(tenantID: Fixtures.tenantID, groupID: "g-admins", access: .member) == policy)
            #expect(try await store.privilegedAccessPolicy(tenantID: Fixtures.tenantID, groupID: "g-admins", access: .owner) == nil)
            try await store.deleteGroup(tenantID: Fixtures.tenantID, objectID: "g-admins")
            #expect(try await store.privilegedAccessPolicy(tenantID: Fixtures.tenantID, groupID: "g-admins", access: .member) == nil)
        }
    }
}
