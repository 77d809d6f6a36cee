import Foundation

/// PIM for groups: eligible and active assignments, activation against the group's policy,
/// approvals, and the time-bound membership edges activations create (docs/just-in-time-access.md).
///
/// Every front end (Graph, the CLI, the `/pim` page) goes through here. Checks read the store;
/// what must hold across instances (one live schedule per principal, group and access; a
/// request decided once) is enforced by ``PrivilegedAccessStore/commitPrivilegedAccess(_:)``.
public struct PrivilegedAccess: Sendable {
    let store: any IdentityStore
    let clock: any IdentityClock
    let audit: AuditTrail

    /// How far in the past a requested start may lie (clients stamp "now" before sending).
    static let startTolerance: TimeInterval = 300

    public init(store: any IdentityStore, clock: any IdentityClock) {
        self.store = store
        self.clock = clock
        self.audit = AuditTrail(store: store, clock: clock)
    }

    // MARK: Reading

    /// The group's policy for an access kind: stored, or Entra's defaults.
    public func policy(tenantID: String, groupID: String, access: PrivilegedAccessSchedule.Access) async throws -> PrivilegedAccessPolicy {
        try await store.privilegedAccessPolicy(tenantID: tenantID, groupID: groupID, access: access)
            ?? .defaults(tenantID: tenantID, groupID: groupID, access: access)
    }

    /// Schedules that have not ended, ordered by start.
    public func liveSchedules(tenantID: String, kind: PrivilegedAccessSchedule.Kind) async throws -> [PrivilegedAccessSchedule] {
        let now = clock.now()
        return try await store.privilegedAccessSchedules(tenantID: tenantID, kind: kind).filter { !$0.hasEnded(at: now) }
    }

    public func requests(tenantID: String, kind: PrivilegedAccessSchedule.Kind) async throws -> [PrivilegedAccessRequest] {
        try await store.privilegedAccessRequests(tenantID: tenantID, kind: kind)
    }

    public func request(tenantID: String, id: String) async throws -> PrivilegedAccessRequest? {
        try await store.privilegedAccessRequest(tenantID: tenantID, id: id)
    }

    /// The eligibilities that let `userID` activate now: their own, or a group's they belong to.
    public func eligibilities(tenantID: String, userID: String) async throws -> [PrivilegedAccessSchedule] {
        let now = clock.now()
        let groups = Set(try await GroupMembershipResolver(store: store).transitiveGroupIDs(tenantID: tenantID, memberID: userID, at: now))
        return try await liveSchedules(tenantID: tenantID, kind: .eligibility)
            .filter { $0.isActive(at: now) && ($0.principalID == userID || groups.contains($0.principalID)) }
    }

    /// Requests awaiting a decision `userID` may take.
    public func pendingApprovals(tenantID: String, approverID: String) async throws -> [PrivilegedAccessRequest] {
        var pending: [PrivilegedAccessRequest] = []
        for request in try await requests(tenantID: tenantID, kind: .assignment) where request.status == .pendingApproval {
            if try await isApprover(approverID, of: request) { pending.append(request) }
        }
        return pending
    }

    // MARK: Submitting

    /// Checks a request against the caller's rights and the group's policy and carries it out:
    /// the stored request (status `Provisioned`, `PendingApproval` or `Revoked`), or a Graph
    /// error naming what was refused.
    public func submit(_ submission: PrivilegedAccessSubmission, tenantID: String,
                       by caller: PrivilegedAccessCaller) async throws -> PrivilegedAccessRequest {
        let now = clock.now()
        if submission.action.isSelfService {
            guard caller.userID == submission.principalID else { throw GraphError.selfServiceForOthers }
        } else if !caller.isAdministrator {
            throw GraphError.administratorsOnly
        }
        guard try await store.group(tenantID: tenantID, objectID: submission.groupID) != nil else {
            throw GraphError(status: 404, code: "Request_ResourceNotFound", message: "No group with id '\(submission.groupID)'.")
        }
        let principalKind = try await principalKind(tenantID: tenantID, id: submission.principalID)
        if submission.hasRecurrence { throw GraphError.recurrenceUnsupported }
        let policy = try await policy(tenantID: tenantID, groupID: submission.groupID, access: submission.access)
        var request = PrivilegedAccessRequest(
            id: ObjectID.make(), tenantID: tenantID, kind: submission.kind, action: submission.action,
            groupID: submission.groupID, principalID: submission.principalID, access: submission.access,
            status: .provisioned, createdBy: caller.requestor, createdAt: now,
            justification: submission.justification.flatMap { $0.isEmpty ? nil : $0 },
            ticketNumber: submission.ticketNumber, ticketSystem: submission.ticketSystem,
            schedule: PrivilegedAccessWindow(startsAt: now, expiration: submission.expiration))
        var change: PrivilegedAccessChange
        switch (submission.kind, submission.action) {
        case (_, .adminAssign):
            request.schedule = try window(submission, now: now, policy: policy, maximum: nil)
            try checkAdminExpiration(request.schedule, kind: submission.kind, policy: policy)
            change = try grant(&request, principalKind: principalKind, type: .assigned, now: now)
        case (_, .adminUpdate), (_, .adminExtend), (_, .adminRenew):
            let existing = try await liveSchedule(request, now: now)
            request.schedule = try window(submission, now: now, policy: policy, maximum: nil,
                                          keepingStart: submission.action == .adminUpdate ? nil : existing.startsAt)
            try checkAdminExpiration(request.schedule, kind: submission.kind, policy: policy)
            change = reschedule(existing, to: request.schedule, request: &request, now: now)
        case (_, .adminRemove):
            let existing = try await liveSchedule(request, now: now)
            change = end(existing, request: &request, now: now)
        case (.assignment, .selfActivate):
            try await checkEligible(request, now: now)
            request.schedule = try window(submission, now: now, policy: policy, maximum: policy.maximumActivationDuration)
            try checkActivationRequirements(request, caller: caller, policy: policy)
            try await checkNotHeld(request, now: now)
            if policy.approvalRequired {
                request.status = .pendingApproval
                change = PrivilegedAccessChange(request: request, now: now)
            } else {
                change = try grant(&request, principalKind: principalKind, type: .activated, now: now)
            }
        case (.assignment, .selfDeactivate):
            let existing = try await liveSchedule(request, now: now)
            guard existing.assignmentType == .activated else { throw GraphError.noLiveSchedule(.assignment, groupID: request.groupID) }
            change = end(existing, request: &request, now: now)
        default:
            throw GraphError.actionNotSupported(submission.action, submission.kind)
        }
        if submission.isValidationOnly {
            request.status = .granted
            return request
        }
        do {
            try await store.commitPrivilegedAccess(change)
        } catch let error as StoreError where error.code == .alreadyExists {
            throw GraphError.alreadyAssigned
        } catch let error as StoreError where error.code == .notFound {
            throw GraphError.noLiveSchedule(request.kind, groupID: request.groupID)
        }
        await PrivilegedAccessAudit.record(request, caller: caller, in: audit)
        return change.request
    }

    /// Cancels a request still pending approval: its creator or an administrator may.
    public func cancel(requestID: String, tenantID: String, by caller: PrivilegedAccessCaller) async throws -> PrivilegedAccessRequest {
        guard var request = try await store.privilegedAccessRequest(tenantID: tenantID, id: requestID) else {
            throw GraphError.notFound
        }
        guard caller.isAdministrator || caller.requestor == request.createdBy else { throw GraphError.administratorsOnly }
        guard request.status == .pendingApproval else { throw GraphError.requestNotPending }
        request.status = .canceled
        request.completedAt = clock.now()
        try await commitDecision(PrivilegedAccessChange(request: request, expectedStatus: .pendingApproval, now: clock.now()))
        await PrivilegedAccessAudit.record(request, caller: caller, in: audit)
        return request
    }

    /// An approver's decision on a pending activation: approved, it is granted from now for the
    /// duration asked for; denied, it ends.
    public func review(requestID: String, tenantID: String, approve: Bool, justification: String?,
                       by caller: PrivilegedAccessCaller) async throws -> PrivilegedAccessRequest {
        guard var request = try await store.privilegedAccessRequest(tenantID: tenantID, id: requestID) else {
            throw GraphError.notFound
        }
        guard request.status == .pendingApproval else { throw GraphError.requestNotPending }
        let reviewerID = caller.userID ?? caller.requestor.objectID ?? AdministrationActor.commandLine.name
        if !(caller.isAdministrator && caller.requestor.kind == .commandLine) {
            guard let userID = caller.userID, userID != request.principalID, try await isApprover(userID, of: request) else {
                throw GraphError.notAnApprover
            }
        }
        let now = clock.now()
        request.review = .init(approved: approve, reviewerID: reviewerID, justification: justification, reviewedAt: now)
        var change: PrivilegedAccessChange
        if approve {
            let length = request.schedule.length ?? 0
            let start = max(request.schedule.startsAt, now)
            request.schedule.startsAt = start
            request.schedule.endsAt = start.addingTimeInterval(length)
            let kind = try await principalKind(tenantID: tenantID, id: request.principalID)
            change = try grant(&request, principalKind: kind, type: .activated, now: now)
        } else {
            request.status = .denied
            request.completedAt = now
            change = PrivilegedAccessChange(request: request, now: now)
        }
        change.expectedStatus = .pendingApproval
        try await commitDecision(change)
        await PrivilegedAccessAudit.record(change.request, caller: caller, in: audit)
        return change.request
    }

    /// Replaces the group's policy for an access kind (administrators only).
    public func updatePolicy(tenantID: String, groupID: String, access: PrivilegedAccessSchedule.Access,
                             by caller: PrivilegedAccessCaller,
                             _ edit: (inout PrivilegedAccessPolicy) throws -> Void) async throws -> PrivilegedAccessPolicy {
        guard caller.isAdministrator else { throw GraphError.administratorsOnly }
        guard try await store.group(tenantID: tenantID, objectID: groupID) != nil else { throw GraphError.notFound }
        var policy = try await policy(tenantID: tenantID, groupID: groupID, access: access)
        try edit(&policy)
        guard policy.maximumActivationDuration >= 60 else {
            throw GraphError.badRequest("The maximum activation duration must be at least one minute.")
        }
        policy.modifiedAt = clock.now()
        policy.modifiedBy = caller.actor.name
        try await store.savePrivilegedAccessPolicy(policy)
        await audit.record("pim.policy-updated", tenantID: tenantID, actor: caller.actor.name, subject: groupID,
                           clientID: caller.actor.clientID, details: PrivilegedAccessAudit.details(of: policy))
        return policy
    }

    /// Ends a schedule whose membership edge an administrator removed through the directory
    /// (Graph's `members/$ref`, `kubeid group remove-member`), recorded as an `adminRemove`.
    func endSchedule(of edge: GroupMembership, actor: AdministrationActor) async throws {
        let now = clock.now()
        let tenantID = edge.tenantID
        guard let id = edge.scheduleID, let schedule = try await store.privilegedAccessSchedule(tenantID: tenantID, id: id) else {
            // The schedule was tidied: the edge alone remains.
            try await store.removeMember(tenantID: tenantID, groupID: edge.groupID, memberID: edge.memberID)
            return
        }
        var request = PrivilegedAccessRequest(
            id: ObjectID.make(), tenantID: tenantID, kind: schedule.kind, action: .adminRemove, groupID: schedule.groupID,
            principalID: schedule.principalID, access: schedule.access, status: .revoked,
            createdBy: actor == .commandLine ? .init(kind: .commandLine, objectID: nil) : .init(kind: .user, objectID: actor.name),
            createdAt: now, schedule: PrivilegedAccessWindow(startsAt: schedule.startsAt, expiration: .notSpecified))
        let change = end(schedule, request: &request, now: now)
        try await store.commitPrivilegedAccess(change)
        let caller = PrivilegedAccessCaller(requestor: request.createdBy, isAdministrator: true, authenticationMethods: [],
                                            actor: actor)
        await PrivilegedAccessAudit.record(request, caller: caller, in: audit)
    }

    // MARK: Steps

    private func commitDecision(_ change: PrivilegedAccessChange) async throws {
        do {
            try await store.commitPrivilegedAccess(change)
        } catch let error as StoreError where error.code == .conflict {
            throw GraphError.requestNotPending
        } catch let error as StoreError where error.code == .alreadyExists {
            throw GraphError.alreadyAssigned
        }
    }

    private func principalKind(tenantID: String, id: String) async throws -> GroupMembership.MemberKind {
        if try await store.user(tenantID: tenantID, objectID: id) != nil { return .user }
        if try await store.group(tenantID: tenantID, objectID: id) != nil { return .group }
        throw GraphError(status: 404, code: "Request_ResourceNotFound", message: "No user or group with id '\(id)'.")
    }

    /// The window a submission asks for, resolved against now: a duration becomes an end, an
    /// activation with no end lasts the policy's maximum, and nothing may lie in the past.
    private func window(_ submission: PrivilegedAccessSubmission, now: Date, policy: PrivilegedAccessPolicy,
                        maximum: TimeInterval?, keepingStart: Date? = nil) throws -> PrivilegedAccessWindow {
        var start = keepingStart ?? submission.startsAt ?? now
        if keepingStart == nil {
            guard start >= now.addingTimeInterval(-Self.startTolerance) else { throw GraphError.scheduleInPast }
            if start < now { start = now }
        }
        var window = PrivilegedAccessWindow(startsAt: start, expiration: submission.expiration)
        switch submission.expiration {
        case .afterDuration:
            guard let duration = submission.duration, duration > 0 else {
                throw GraphError.invalidSchedule("An afterDuration expiration needs a positive duration (PT2H).")
            }
            window.duration = duration
            window.endsAt = start.addingTimeInterval(duration)
        case .afterDateTime:
            guard let end = submission.endsAt else {
                throw GraphError.invalidSchedule("An afterDateTime expiration needs endDateTime.")
            }
            guard end > now, end > start else { throw GraphError.scheduleInPast }
            window.endsAt = end
        case .noExpiration, .notSpecified:
            if let duration = submission.duration, duration > 0 {
                window.expiration = .afterDuration
                window.duration = duration
                window.endsAt = start.addingTimeInterval(duration)
            } else if let end = submission.endsAt {
                guard end > now, end > start else { throw GraphError.scheduleInPast }
                window.expiration = .afterDateTime
                window.endsAt = end
            } else if let maximum {
                // An activation always ends (Entra: "always time-bound").
                window.expiration = .afterDuration
                window.duration = maximum
                window.endsAt = start.addingTimeInterval(maximum)
            }
        }
        if let maximum, let length = window.length, length > maximum + 0.5 {
            throw GraphError.durationOverMaximum(length, maximum: maximum)
        }
        if let length = window.length, length < 60 - 0.5 {
            throw GraphError.invalidSchedule("The shortest schedule is one minute (PT1M).")
        }
        return window
    }

    private func checkAdminExpiration(_ window: PrivilegedAccessWindow, kind: PrivilegedAccessSchedule.Kind,
                                      policy: PrivilegedAccessPolicy) throws {
        let required = kind == .eligibility ? policy.eligibilityExpirationRequired : policy.assignmentExpirationRequired
        let maximum = kind == .eligibility ? policy.maximumEligibilityDuration : policy.maximumAssignmentDuration
        guard let length = window.length else {
            if required { throw GraphError.expirationRequired }
            return
        }
        if length > maximum + 0.5 { throw GraphError.durationOverMaximum(length, maximum: maximum) }
    }

    private func checkActivationRequirements(_ request: PrivilegedAccessRequest, caller: PrivilegedAccessCaller,
                                             policy: PrivilegedAccessPolicy) throws {
        let requirements = policy.activationRequirements
        if requirements.contains(.justification), (request.justification ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw GraphError.justificationRequired
        }
        if requirements.contains(.ticketing), (request.ticketNumber ?? "").isEmpty { throw GraphError.ticketRequired }
        if requirements.contains(.multiFactorAuthentication), !caller.authenticationMethods.contains("mfa") {
            throw GraphError.multiFactorRequired
        }
    }

    private func checkEligible(_ request: PrivilegedAccessRequest, now: Date) async throws {
        let eligible = try await eligibilities(tenantID: request.tenantID, userID: request.principalID)
            .contains { $0.groupID == request.groupID && $0.access == request.access }
        guard eligible else { throw GraphError.notEligible(groupID: request.groupID, access: request.access) }
    }

    /// An activation on top of an active assignment or a direct membership would be refused by
    /// the store too; checked first so the caller learns it before an approver is asked.
    private func checkNotHeld(_ request: PrivilegedAccessRequest, now: Date) async throws {
        let held = try await liveSchedules(tenantID: request.tenantID, kind: .assignment)
            .contains { $0.groupID == request.groupID && $0.principalID == request.principalID && $0.access == request.access }
        if held { throw GraphError.alreadyAssigned }
        if request.access == .member {
            let member = try await store.memberships(tenantID: request.tenantID, directMemberID: request.principalID)
                .contains { $0.groupID == request.groupID && !$0.hasEnded(at: now) }
            if member { throw GraphError.alreadyAssigned }
        }
        let pending = try await requests(tenantID: request.tenantID, kind: .assignment).contains {
            $0.status == .pendingApproval && $0.groupID == request.groupID && $0.principalID == request.principalID
                && $0.access == request.access
        }
        if pending {
            throw GraphError(status: 400, code: "PendingRoleAssignmentRequest",
                             message: "A request for this access is already pending approval; cancel it or wait for the decision.")
        }
    }

    private func liveSchedule(_ request: PrivilegedAccessRequest, now: Date) async throws -> PrivilegedAccessSchedule {
        guard let schedule = try await liveSchedules(tenantID: request.tenantID, kind: request.kind).first(where: {
            $0.groupID == request.groupID && $0.principalID == request.principalID && $0.access == request.access
        }) else { throw GraphError.noLiveSchedule(request.kind, groupID: request.groupID) }
        return schedule
    }

    /// The change that creates the request's schedule (and, for active membership, its edge).
    private func grant(_ request: inout PrivilegedAccessRequest, principalKind: GroupMembership.MemberKind,
                       type: PrivilegedAccessSchedule.AssignmentType, now: Date) throws -> PrivilegedAccessChange {
        let id = PrivilegedAccessSchedule.makeID(groupID: request.groupID, access: request.access, requestID: request.id)
        let schedule = PrivilegedAccessSchedule(
            id: id, tenantID: request.tenantID, kind: request.kind, groupID: request.groupID, principalID: request.principalID,
            access: request.access, assignmentType: request.kind == .assignment ? type : nil,
            startsAt: request.schedule.startsAt, endsAt: request.schedule.endsAt, createdUsing: request.id,
            createdAt: now, modifiedAt: now)
        request.status = .provisioned
        request.completedAt = now
        request.targetScheduleID = id
        var membership: PrivilegedAccessChange.MembershipWrite?
        if request.kind == .assignment, request.access == .member {
            membership = .add(GroupMembership(tenantID: request.tenantID, groupID: request.groupID, memberID: request.principalID,
                                              memberKind: principalKind, startsAt: schedule.startsAt, endsAt: schedule.endsAt,
                                              scheduleID: id))
        }
        return PrivilegedAccessChange(request: request, schedule: .create(schedule), membership: membership, now: now)
    }

    private func reschedule(_ existing: PrivilegedAccessSchedule, to window: PrivilegedAccessWindow,
                            request: inout PrivilegedAccessRequest, now: Date) -> PrivilegedAccessChange {
        var schedule = existing
        schedule.startsAt = window.startsAt
        schedule.endsAt = window.endsAt
        schedule.modifiedAt = now
        request.status = .provisioned
        request.completedAt = now
        request.targetScheduleID = existing.id
        let membership: PrivilegedAccessChange.MembershipWrite? = existing.kind == .assignment && existing.access == .member
            ? .setEnd(scheduleID: existing.id, endsAt: window.endsAt) : nil
        return PrivilegedAccessChange(request: request, schedule: .update(schedule), membership: membership, now: now)
    }

    private func end(_ existing: PrivilegedAccessSchedule, request: inout PrivilegedAccessRequest,
                     now: Date) -> PrivilegedAccessChange {
        request.status = .revoked
        request.completedAt = now
        request.targetScheduleID = existing.id
        request.schedule = PrivilegedAccessWindow(startsAt: existing.startsAt, expiration: .afterDateTime, endsAt: now)
        let membership: PrivilegedAccessChange.MembershipWrite? = existing.kind == .assignment && existing.access == .member
            ? .remove(scheduleID: existing.id) : nil
        return PrivilegedAccessChange(request: request, schedule: .delete(id: existing.id), membership: membership, now: now)
    }

    /// Whether `userID` may decide `request`: a user approver, or a member of an approver group.
    /// With approval required and no approver named, no user can; the command line still can.
    public func isApprover(_ userID: String, of request: PrivilegedAccessRequest) async throws -> Bool {
        guard userID != request.principalID else { return false }
        let policy = try await policy(tenantID: request.tenantID, groupID: request.groupID, access: request.access)
        var groups: Set<String>?
        for approver in policy.approvers {
            switch approver {
            case .user(let id) where id == userID:
                return true
            case .groupMembers(let groupID):
                if groups == nil {
                    groups = Set(try await GroupMembershipResolver(store: store)
                        .transitiveGroupIDs(tenantID: request.tenantID, memberID: userID, at: clock.now()))
                }
                if groups?.contains(groupID) == true { return true }
            default:
                continue
            }
        }
        return false
    }
}
