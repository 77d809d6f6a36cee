import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

/// PIM for groups through the domain service: eligibility, activation against the policy,
/// approval, and what time-bound membership does to tokens, TokenReview and the cache.
@Suite("Privileged access (PIM for groups)")
struct PrivilegedAccessTests {
    /// The cluster harness (admin group `aks-admins` on cluster `dev`), alice eligible for it.
    private static func eligible(_ edit: ((inout PrivilegedAccessPolicy) -> Void)? = nil) async throws
        -> (ClusterHarness, PrivilegedAccess, groupID: String) {
        let harness = try await ClusterHarness.make()
        let service = harness.test.issuer.privilegedAccess
        let groupID = try await harness.adminGroupID()
        _ = try await service.submit(.init(kind: .eligibility, action: .adminAssign, groupID: groupID,
                                           principalID: harness.users.alice.objectID, expiration: .noExpiration),
                                     tenantID: harness.tenant.id, by: .commandLine)
        if let edit {
            _ = try await service.updatePolicy(tenantID: harness.tenant.id, groupID: groupID, access: .member,
                                               by: .commandLine, edit)
        }
        return (harness, service, groupID)
    }

    private static func alice(_ harness: ClusterHarness, methods: [String] = ["pwd"]) -> PrivilegedAccessCaller {
        PrivilegedAccessCaller(requestor: .init(kind: .user, objectID: harness.users.alice.objectID), isAdministrator: false,
                               authenticationMethods: methods,
                               actor: .principal(objectID: harness.users.alice.objectID, clientID: AKS.clientAppID))
    }

    private static func activation(_ harness: ClusterHarness, _ groupID: String, duration: TimeInterval = 3600,
                                   justification: String? = "incident 4711") -> PrivilegedAccessSubmission {
        PrivilegedAccessSubmission(kind: .assignment, action: .selfActivate, groupID: groupID,
                                   principalID: harness.users.alice.objectID, justification: justification,
                                   expiration: .afterDuration, duration: duration)
    }

    private static func expectRefusal(_ code: String, _ rule: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                                      _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(code)", sourceLocation: sourceLocation)
        } catch let error as GraphError {
            #expect(error.code == code, sourceLocation: sourceLocation)
            if let rule { #expect(error.message.contains("[\"\(rule)\"]"), sourceLocation: sourceLocation) }
        } catch {
            Issue.record("expected a GraphError, got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func anActivationGrantsTheGroupUntilItsEndWithoutAnyWrite() async throws {
        let (harness, service, groupID) = try await Self.eligible()
        let alice = harness.users.alice
        let directory = harness.test.issuer.directory
        #expect(!(try await directory.transitiveGroups(tenantID: harness.tenant.id, memberID: alice.objectID)).contains(groupID))
        #expect(try await harness.authorize(alice, listPods(in: "dev")).isAllowed == false)

        let request = try await service.submit(Self.activation(harness, groupID, duration: 120), tenantID: harness.tenant.id,
                                               by: Self.alice(harness))
        #expect(request.status == .provisioned)
        #expect(request.targetScheduleID == "\(groupID)_member_\(request.id)")
        #expect(try await directory.transitiveGroups(tenantID: harness.tenant.id, memberID: alice.objectID).contains(groupID))
        #expect(try await harness.authorize(alice, listPods(in: "dev")).isAllowed)

        // The access token carries the group and expires with the activation.
        let start = harness.test.clock.now()
        let response = try await harness.base.signInWithDeviceCode()
        let claims = try await harness.base.verify(response.accessToken)
        #expect(claims.strings("groups")?.contains(groupID) == true)
        let expiry = try #require(claims.expiresAt)
        #expect(expiry <= start.addingTimeInterval(120))
        #expect(response.expiresIn <= 120)

        // TokenReview resolves groups at review time: after the end, the same token loses them.
        guard case .authenticated(let during) = try await harness.review(response.accessToken) else {
            Issue.record("refused")
            return
        }
        #expect(during.groups.contains(groupID))
        harness.test.clock.advance(by: 120)
        #expect(!(try await directory.transitiveGroups(tenantID: harness.tenant.id, memberID: alice.objectID)).contains(groupID))
        #expect(try await service.liveSchedules(tenantID: harness.tenant.id, kind: .assignment).isEmpty)
        let fresh = try await harness.base.signInWithDeviceCode()
        #expect(try await harness.base.verify(fresh.accessToken).strings("groups")?.contains(groupID) != true)

        // The garbage collector tidies the ended schedule and audits its expiry.
        harness.test.clock.advance(by: 1)
        let report = try await GarbageCollector(store: harness.test.store, clock: harness.test.clock).collect()
        #expect(report.privilegedAccessSchedules == 1)
        let events = try await harness.test.store.auditEvents(tenantID: harness.tenant.id, since: .distantPast, limit: 1000)
        #expect(events.contains { $0.kind == "pim.assignment.expired" && $0.subject == groupID })
        #expect(events.contains { $0.kind == "pim.assignment.selfActivate" && $0.details["justification"] == "incident 4711" })
    }

    @Test func deactivationEndsAccessAtOnce() async throws {
        let (harness, service, groupID) = try await Self.eligible()
        let alice = harness.users.alice
        _ = try await service.submit(Self.activation(harness, groupID), tenantID: harness.tenant.id, by: Self.alice(harness))
        let deactivated = try await service.submit(
            .init(kind: .assignment, action: .selfDeactivate, groupID: groupID, principalID: alice.objectID),
            tenantID: harness.tenant.id, by: Self.alice(harness))
        #expect(deactivated.status == .revoked)
        #expect(!(try await harness.test.issuer.directory.transitiveGroups(tenantID: harness.tenant.id, memberID: alice.objectID))
            .contains(groupID))
        // And it can be activated again.
        #expect(try await service.submit(Self.activation(harness, groupID), tenantID: harness.tenant.id,
                                         by: Self.alice(harness)).status == .provisioned)
    }

    @Test func aSecondActivationAfterTheFirstEndedGrantsAgain() async throws {
        let (harness, service, groupID) = try await Self.eligible()
        let alice = harness.users.alice
        _ = try await service.submit(Self.activation(harness, groupID, duration: 60), tenantID: harness.tenant.id, by: Self.alice(harness))
        #expect(try await harness.authorize(alice, listPods(in: "dev")).isAllowed)
        harness.test.clock.advance(by: 61)
        #expect(try await harness.authorize(alice, listPods(in: "dev")).isAllowed == false)
        _ = try await service.submit(Self.activation(harness, groupID, duration: 60), tenantID: harness.tenant.id, by: Self.alice(harness))
        #expect(try await harness.authorize(alice, listPods(in: "dev")).isAllowed)
    }

    @Test func policyRefusals() async throws {
        let (harness, service, groupID) = try await Self.eligible { $0.maximumActivationDuration = 3600 }
        let tenant = harness.tenant.id
        await Self.expectRefusal("RoleAssignmentRequestPolicyValidationFailed", "JustificationRule") {
            _ = try await service.submit(Self.activation(harness, groupID, justification: nil), tenantID: tenant, by: Self.alice(harness))
        }
        await Self.expectRefusal("RoleAssignmentRequestPolicyValidationFailed", "ExpirationRule") {
            _ = try await service.submit(Self.activation(harness, groupID, duration: 7200), tenantID: tenant, by: Self.alice(harness))
        }
        var past = Self.activation(harness, groupID)
        past.startsAt = harness.test.clock.now().addingTimeInterval(-3600)
        await Self.expectRefusal("InvalidScheduleRequest") {
            _ = try await service.submit(past, tenantID: tenant, by: Self.alice(harness))
        }
        var recurring = Self.activation(harness, groupID)
        recurring.hasRecurrence = true
        await Self.expectRefusal("InvalidScheduleRequest") {
            _ = try await service.submit(recurring, tenantID: tenant, by: Self.alice(harness))
        }
        // Bob is not eligible.
        var bobs = Self.activation(harness, groupID)
        bobs.principalID = harness.users.bob.objectID
        let bob = PrivilegedAccessCaller(requestor: .init(kind: .user, objectID: harness.users.bob.objectID), isAdministrator: false,
                                         authenticationMethods: ["pwd"], actor: .principal(objectID: harness.users.bob.objectID, clientID: "x"))
        await Self.expectRefusal("RoleAssignmentDoesNotExist") {
            _ = try await service.submit(bobs, tenantID: tenant, by: bob)
        }
        // Nobody activates for someone else, and a person takes no admin action.
        await Self.expectRefusal("Authorization_RequestDenied") {
            _ = try await service.submit(bobs, tenantID: tenant, by: Self.alice(harness))
        }
        await Self.expectRefusal("Authorization_RequestDenied") {
            _ = try await service.submit(.init(kind: .assignment, action: .adminAssign, groupID: groupID,
                                               principalID: harness.users.alice.objectID, expiration: .afterDuration, duration: 60),
                                         tenantID: tenant, by: Self.alice(harness))
        }
        // A one-minute activation is accepted; a second one while it runs is refused.
        #expect(try await service.submit(Self.activation(harness, groupID, duration: 60), tenantID: tenant,
                                         by: Self.alice(harness)).status == .provisioned)
        await Self.expectRefusal("RoleAssignmentExists") {
            _ = try await service.submit(Self.activation(harness, groupID, duration: 60), tenantID: tenant, by: Self.alice(harness))
        }
        #expect(try await harness.test.store.privilegedAccessRequests(tenantID: tenant, kind: .assignment).count == 1)
    }

    @Test func multiFactorOnActivationNeedsMfaInTheSignIn() async throws {
        let (harness, service, groupID) = try await Self.eligible { $0.activationRequirements.insert(.multiFactorAuthentication) }
        await Self.expectRefusal("RoleAssignmentRequestPolicyValidationFailed", "MfaRule") {
            _ = try await service.submit(Self.activation(harness, groupID), tenantID: harness.tenant.id, by: Self.alice(harness))
        }
        #expect(try await service.submit(Self.activation(harness, groupID), tenantID: harness.tenant.id,
                                         by: Self.alice(harness, methods: ["pwd", "mfa"])).status == .provisioned)
    }

    @Test func approvalKeepsTheRequestPendingUntilAnApproverDecides() async throws {
        let (harness, service, groupID) = try await Self.eligible { _ in }
        let bob = harness.users.bob
        _ = try await service.updatePolicy(tenantID: harness.tenant.id, groupID: groupID, access: .member, by: .commandLine) {
            $0.approvalRequired = true
            $0.approvers = [.user(bob.objectID)]
        }
        let alice = harness.users.alice
        let directory = harness.test.issuer.directory
        let pending = try await service.submit(Self.activation(harness, groupID), tenantID: harness.tenant.id, by: Self.alice(harness))
        #expect(pending.status == .pendingApproval)
        #expect(!(try await directory.transitiveGroups(tenantID: harness.tenant.id, memberID: alice.objectID)).contains(groupID))
        #expect(try await service.pendingApprovals(tenantID: harness.tenant.id, approverID: bob.objectID).map(\.id) == [pending.id])
        // The requester cannot approve their own request.
        await Self.expectRefusal("Authorization_RequestDenied") {
            _ = try await service.review(requestID: pending.id, tenantID: harness.tenant.id, approve: true, justification: nil,
                                         by: Self.alice(harness))
        }
        let bobCaller = PrivilegedAccessCaller(requestor: .init(kind: .user, objectID: bob.objectID), isAdministrator: false,
                                               authenticationMethods: ["pwd"], actor: .principal(objectID: bob.objectID, clientID: "x"))
        harness.test.clock.advance(by: 600)
        let approved = try await service.review(requestID: pending.id, tenantID: harness.tenant.id, approve: true,
                                                justification: "ok", by: bobCaller)
        #expect(approved.status == .provisioned)
        // Granted from the decision for the hour asked for.
        #expect(approved.schedule.endsAt == harness.test.clock.now().addingTimeInterval(3600))
        #expect(try await directory.transitiveGroups(tenantID: harness.tenant.id, memberID: alice.objectID).contains(groupID))
        await Self.expectRefusal("RequestNotPending") {
            _ = try await service.review(requestID: pending.id, tenantID: harness.tenant.id, approve: false, justification: nil,
                                         by: bobCaller)
        }
    }

    @Test func aDeniedOrCanceledRequestGrantsNothing() async throws {
        let (harness, service, groupID) = try await Self.eligible { $0.approvalRequired = true }
        let first = try await service.submit(Self.activation(harness, groupID), tenantID: harness.tenant.id, by: Self.alice(harness))
        await Self.expectRefusal("PendingRoleAssignmentRequest") {
            _ = try await service.submit(Self.activation(harness, groupID), tenantID: harness.tenant.id, by: Self.alice(harness))
        }
        #expect(try await service.cancel(requestID: first.id, tenantID: harness.tenant.id, by: Self.alice(harness)).status == .canceled)
        let second = try await service.submit(Self.activation(harness, groupID), tenantID: harness.tenant.id, by: Self.alice(harness))
        #expect(try await service.review(requestID: second.id, tenantID: harness.tenant.id, approve: false, justification: "no",
                                         by: .commandLine).status == .denied)
        #expect(try await service.liveSchedules(tenantID: harness.tenant.id, kind: .assignment).isEmpty)
    }

    @Test func removingTheMemberThroughTheDirectoryEndsTheSchedule() async throws {
        let (harness, service, groupID) = try await Self.eligible()
        _ = try await service.submit(Self.activation(harness, groupID), tenantID: harness.tenant.id, by: Self.alice(harness))
        try await harness.admin.removeGroupMember(tenant: "contoso", groupID: groupID, memberID: harness.users.alice.objectID)
        #expect(try await service.liveSchedules(tenantID: harness.tenant.id, kind: .assignment).isEmpty)
        #expect(try await harness.admin.listGroupMembers(tenant: "contoso", groupID: groupID).isEmpty)
    }

    @Test func anEligibleGroupsMembersMayActivateForThemselves() async throws {
        let harness = try await ClusterHarness.make()
        let service = harness.test.issuer.privilegedAccess
        let groupID = try await harness.adminGroupID()
        // `pipelines` (inner) holds alice; the eligibility names the group.
        _ = try await service.submit(.init(kind: .eligibility, action: .adminAssign, groupID: groupID,
                                           principalID: harness.users.directory.inner.objectID),
                                     tenantID: harness.tenant.id, by: .commandLine)
        #expect(try await service.submit(Self.activation(harness, groupID), tenantID: harness.tenant.id,
                                         by: Self.alice(harness)).status == .provisioned)
    }

    @Test(arguments: [("PT2H", 7200.0), ("PT1H45M", 6300), ("P1DT30M", 88_200), ("PT90S", 90), ("2:00:00", 7200),
                      ("1 day, 0:00:00", 86_400), ("3 days, 4:05:06.5", 273_906.5), ("0:01:00", 60)])
    func durationsParseInBothForms(_ text: String, _ seconds: TimeInterval) {
        #expect(PrivilegedAccessDuration.parse(text) == seconds)
    }

    @Test(arguments: ["", "P", "PT", "P1Y", "PT-1H", "2:60:00", "1 week, 0:00:00", "abc", "PT1H2"])
    func malformedDurationsAreRefused(_ text: String) {
        #expect(PrivilegedAccessDuration.parse(text) == nil)
    }

    @Test func durationsAreWrittenAsISO8601() {
        #expect(PrivilegedAccessDuration.format(7200) == "PT2H")
        #expect(PrivilegedAccessDuration.format(6300) == "PT1H45M")
        #expect(PrivilegedAccessDuration.format(86_400) == "P1D")
        #expect(PrivilegedAccessDuration.format(0) == "PT0S")
    }
}
