import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityTesting
import NIOCore
import OAuthProtocol
import Testing

/// PIM for groups through the real router: who may call, the shapes Graph clients parse, the
/// refusals, policies as rules, approvals, and that a write through Graph reaches this
/// process's directory cache at once.
@Suite("Graph: PIM for groups")
struct GraphPrivilegedAccessTests {
    static let base = "/v1.0/identityGovernance/privilegedAccess/group"
    static let pimScope = "https://graph.microsoft.com/PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup"
    static let adminPermissions = ["PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
                                   "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
                                   "RoleManagementPolicy.ReadWrite.AzureADGroup", "GroupMember.Read.All"]

    /// A group `oncall`, alice eligible for its membership; the pipeline's admin token.
    private static func setUp(staleness: TimeInterval = 0) async throws -> (SignInHTTPHarness, groupID: String, admin: String) {
        let harness = try await SignInHTTPHarness.make { $0.directoryCacheStaleness = staleness }
        let group = try await harness.test.administration.createGroup(tenant: "contoso", displayName: "oncall", mailNickname: nil)
        _ = try await harness.test.issuer.privilegedAccess.submit(
            .init(kind: .eligibility, action: .adminAssign, groupID: group.objectID, principalID: harness.users.alice.objectID,
                  expiration: .noExpiration),
            tenantID: harness.users.directory.tenant.id, by: .commandLine)
        return (harness, group.objectID, try await GraphAPITests.appToken(harness, permissions: adminPermissions))
    }

    private static func activation(_ groupID: String, _ principalID: String, action: String = "selfActivate",
                                   duration: String = "PT1H", justification: String? = "INC-1") -> String {
        let justified = justification.map { #", "justification": "\#($0)""# } ?? ""
        return #"{"accessId": "member", "action": "\#(action)", "groupId": "\#(groupID)", "principalId": "\#(principalID)"\#(justified), "scheduleInfo": {"startDateTime": null, "expiration": {"type": "afterDuration", "duration": "\#(duration)"}}}"#
    }

    private static func call(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String,
                             body: String? = nil) async throws -> (status: Int, json: [String: Any]) {
        let response = try await client.execute(
            uri: path.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["'", "+"]))!, method: method,
            headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: body.map { ByteBuffer(string: $0) })
        return (Int(response.status.code), response.body.readableBytes == 0 ? [:] : response.jsonObject)
    }

    private static func errorCode(_ json: [String: Any]) -> String? { (json["error"] as? [String: Any])?["code"] as? String }
    private static func errorMessage(_ json: [String: Any]) -> String { (json["error"] as? [String: Any])?["message"] as? String ?? "" }

    @Test func anEligibleUserSelfActivatesWithTheDelegatedScopeAndTheCacheSeesItAtOnce() async throws {
        // An hour of staleness: only the write's own invalidation can make the change visible.
        let (harness, groupID, _) = try await Self.setUp(staleness: 3600)
        let alice = harness.users.alice
        let tenantID = harness.users.directory.tenant.id
        let directory = harness.test.issuer.directory
        #expect(!(try await directory.transitiveGroups(tenantID: tenantID, memberID: alice.objectID)).contains(groupID))
        let token = try await GraphAPITests.userToken(harness, user: alice, scope: Self.pimScope)
        try await harness.run { client in
            let created = try await Self.call(client, .post, "\(Self.base)/assignmentScheduleRequests", token: token,
                                              body: Self.activation(groupID, alice.objectID))
            #expect(created.status == 201, "\(created.json)")
            #expect(created.json["status"] as? String == "Provisioned")
            #expect(created.json["action"] as? String == "selfActivate")
            #expect((created.json["@odata.context"] as? String)?.hasSuffix("assignmentScheduleRequests/$entity") == true)
            let schedule = try #require(created.json["targetScheduleId"] as? String)
            let info = try #require(created.json["scheduleInfo"] as? [String: Any])
            #expect((info["expiration"] as? [String: Any])?["duration"] as? String == "PT1H")
            #expect(try await directory.transitiveGroups(tenantID: tenantID, memberID: alice.objectID).contains(groupID))

            let mine = try await Self.call(client, .get, "\(Self.base)/assignmentScheduleInstances/filterByCurrentUser(on='principal')",
                                           token: token)
            #expect(mine.status == 200, "\(mine.json)")
            let instances = try #require(mine.json["value"] as? [[String: Any]])
            #expect(instances.map { $0["assignmentScheduleId"] as? String } == [schedule])
            #expect(instances.first?["principalId"] as? String == alice.objectID)

            let again = try await Self.call(client, .post, "\(Self.base)/assignmentScheduleRequests", token: token,
                                            body: Self.activation(groupID, alice.objectID))
            #expect(again.status == 400)
            #expect(Self.errorCode(again.json) == "RoleAssignmentExists")

            let off = try await Self.call(client, .post, "\(Self.base)/assignmentScheduleRequests", token: token,
                                          body: #"{"accessId": "member", "action": "selfDeactivate", "groupId": "\#(groupID)", "principalId": "\#(alice.objectID)"}"#)
            #expect(off.status == 201, "\(off.json)")
            #expect(off.json["status"] as? String == "Revoked")
            #expect(!(try await directory.transitiveGroups(tenantID: tenantID, memberID: alice.objectID)).contains(groupID))
        }
    }

    @Test func refusalsAreGraphErrorsNamingTheRule() async throws {
        let (harness, groupID, admin) = try await Self.setUp()
        let alice = harness.users.alice
        let bob = harness.users.bob
        let aliceToken = try await GraphAPITests.userToken(harness, user: alice, scope: Self.pimScope)
        let bobToken = try await GraphAPITests.userToken(harness, user: bob, scope: Self.pimScope, methods: ["pwd", "otp", "mfa"])
        try await harness.run { client in
            let path = "\(Self.base)/assignmentScheduleRequests"
            let notEligible = try await Self.call(client, .post, path, token: bobToken, body: Self.activation(groupID, bob.objectID))
            #expect(notEligible.status == 400)
            #expect(Self.errorCode(notEligible.json) == "RoleAssignmentDoesNotExist")

            let forSomeoneElse = try await Self.call(client, .post, path, token: bobToken, body: Self.activation(groupID, alice.objectID))
            #expect(forSomeoneElse.status == 403)
            #expect(Self.errorCode(forSomeoneElse.json) == "Authorization_RequestDenied")

            let tooLong = try await Self.call(client, .post, path, token: aliceToken,
                                              body: Self.activation(groupID, alice.objectID, duration: "PT9H"))
            #expect(tooLong.status == 400)
            #expect(Self.errorCode(tooLong.json) == "RoleAssignmentRequestPolicyValidationFailed")
            #expect(Self.errorMessage(tooLong.json).contains("ExpirationRule"), "\(tooLong.json)")

            let unjustified = try await Self.call(client, .post, path, token: aliceToken,
                                                  body: Self.activation(groupID, alice.objectID, justification: nil))
            #expect(Self.errorCode(unjustified.json) == "RoleAssignmentRequestPolicyValidationFailed")
            #expect(Self.errorMessage(unjustified.json).contains("JustificationRule"), "\(unjustified.json)")

            let sdkDuration = try await Self.call(client, .post, path, token: aliceToken,
                                                  body: Self.activation(groupID, alice.objectID, duration: "nonsense"))
            #expect(sdkDuration.status == 400)
            #expect(Self.errorMessage(sdkDuration.json).contains("ISO 8601 duration"))

            let unknownProperty = try await Self.call(client, .post, path, token: aliceToken,
                                                      body: #"{"accessId": "member", "action": "selfActivate", "colour": "red"}"#)
            #expect(unknownProperty.status == 400)

            // Admin actions need the application permission or a privileged role, not the user's scope.
            let selfAssigned = try await Self.call(client, .post, path, token: aliceToken,
                                                   body: Self.activation(groupID, alice.objectID, action: "adminAssign"))
            #expect(selfAssigned.status == 403, "\(selfAssigned.json)")

            // MFA: once the policy requires it, a password-only token is refused.
            let rule = "/v1.0/policies/roleManagementPolicies/Group_\(groupID)_member/rules/Enablement_EndUser_Assignment"
            let patched = try await Self.call(client, .patch, rule, token: admin, body: #"""
                {"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule", "id": "Enablement_EndUser_Assignment",
                 "enabledRules": ["Justification", "MultiFactorAuthentication"]}
                """#)
            #expect(patched.status == 204, "\(patched.json)")
            let noMFA = try await Self.call(client, .post, path, token: aliceToken, body: Self.activation(groupID, alice.objectID))
            #expect(Self.errorCode(noMFA.json) == "RoleAssignmentRequestPolicyValidationFailed")
            #expect(Self.errorMessage(noMFA.json).contains("MfaRule"), "\(noMFA.json)")
        }
    }

    @Test func policiesAreReadAndChangedAsRules() async throws {
        let (harness, groupID, admin) = try await Self.setUp()
        try await harness.run { client in
            let unscoped = try await Self.call(client, .get, "/v1.0/policies/roleManagementPolicyAssignments", token: admin)
            #expect(unscoped.status == 400)
            #expect(Self.errorMessage(unscoped.json).contains("scopeId"))

            let listed = try await Self.call(
                client, .get,
                "/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '\(groupID)' and scopeType eq 'Group'&$expand=policy($expand=rules)",
                token: admin)
            #expect(listed.status == 200, "\(listed.json)")
            let assignments = try #require(listed.json["value"] as? [[String: Any]])
            #expect(Set(assignments.compactMap { $0["roleDefinitionId"] as? String }) == ["member", "owner"])
            let member = try #require(assignments.first { $0["roleDefinitionId"] as? String == "member" })
            let policyID = try #require(member["policyId"] as? String)
            let rules = try #require((member["policy"] as? [String: Any])?["rules"] as? [[String: Any]])
            let expiration = try #require(rules.first { $0["id"] as? String == "Expiration_EndUser_Assignment" })
            #expect(expiration["maximumDuration"] as? String == "PT8H", "Entra's default")

            let rulePath = "/v1.0/policies/roleManagementPolicies/\(policyID)/rules/Expiration_EndUser_Assignment"
            let changed = try await Self.call(client, .patch, rulePath, token: admin, body: #"""
                {"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule", "id": "Expiration_EndUser_Assignment",
                 "isExpirationRequired": true, "maximumDuration": "PT2H"}
                """#)
            #expect(changed.status == 204, "\(changed.json)")
            let read = try await Self.call(client, .get, rulePath, token: admin)
            #expect(read.json["maximumDuration"] as? String == "PT2H")
            let policy = try await harness.test.issuer.privilegedAccess.policy(
                tenantID: harness.users.directory.tenant.id, groupID: groupID, access: .member)
            #expect(policy.maximumActivationDuration == 7200)

            let unknownRule = try await Self.call(client, .get, "/v1.0/policies/roleManagementPolicies/\(policyID)/rules/Nope", token: admin)
            #expect(unknownRule.status == 400)
            let badDuration = try await Self.call(client, .patch, rulePath, token: admin,
                                                  body: #"{"id": "Expiration_EndUser_Assignment", "maximumDuration": "soon"}"#)
            #expect(badDuration.status == 400)

            // A user with only the self-service scope reads but does not change policies.
            let aliceToken = try await GraphAPITests.userToken(harness, user: harness.users.alice, scope: Self.pimScope)
            #expect(try await Self.call(client, .get, rulePath, token: aliceToken).status == 200)
            let denied = try await Self.call(client, .patch, rulePath, token: aliceToken,
                                             body: #"{"id": "Expiration_EndUser_Assignment", "maximumDuration": "PT24H"}"#)
            #expect(denied.status == 403)

            let audits = try await GraphAPITests.appToken(harness, permissions: ["AuditLog.Read.All"])
            let trail = try await Self.call(client, .get, "/v1.0/auditLogs/directoryAudits?$filter=activityDisplayName eq 'Update role setting in PIM'",
                                            token: audits)
            let changes = try #require(trail.json["value"] as? [[String: Any]], "\(trail.json)")
            #expect(changes.count == 1)
            #expect(changes.first?["loggedByService"] as? String == "Privileged Identity Management")
        }
    }

    @Test func anApproverApprovesThroughAssignmentApprovals() async throws {
        let (harness, groupID, _) = try await Self.setUp()
        let alice = harness.users.alice
        let bob = harness.users.bob
        let tenantID = harness.users.directory.tenant.id
        _ = try await harness.test.issuer.privilegedAccess.updatePolicy(tenantID: tenantID, groupID: groupID, access: .member,
                                                                        by: .commandLine) {
            $0.approvalRequired = true
            $0.approvers = [.user(bob.objectID)]
        }
        let aliceToken = try await GraphAPITests.userToken(harness, user: alice, scope: Self.pimScope)
        let bobToken = try await GraphAPITests.userToken(harness, user: bob, scope: Self.pimScope, methods: ["pwd", "otp", "mfa"])
        try await harness.run { client in
            let pending = try await Self.call(client, .post, "\(Self.base)/assignmentScheduleRequests", token: aliceToken,
                                              body: Self.activation(groupID, alice.objectID))
            #expect(pending.status == 201, "\(pending.json)")
            #expect(pending.json["status"] as? String == "PendingApproval")
            let requestID = try #require(pending.json["id"] as? String)
            #expect(pending.json["approvalId"] as? String == requestID)
            #expect(!(try await harness.test.issuer.directory.transitiveGroups(tenantID: tenantID, memberID: alice.objectID)).contains(groupID))

            let own = try await Self.call(client, .patch, "\(Self.base)/assignmentApprovals/\(requestID)/stages/\(requestID)",
                                          token: aliceToken, body: #"{"reviewResult": "Approve", "justification": "me"}"#)
            #expect(own.status == 403, "the requester is no approver")

            let queue = try await Self.call(client, .get, "\(Self.base)/assignmentApprovals/filterByCurrentUser(on='approver')",
                                            token: bobToken)
            let approvals = try #require(queue.json["value"] as? [[String: Any]])
            #expect(approvals.compactMap { $0["id"] as? String } == [requestID])
            let stage = try #require((approvals.first?["stages"] as? [[String: Any]])?.first)
            #expect(stage["assignedToMe"] as? Bool == true)
            #expect(stage["status"] as? String == "InProgress")

            let approved = try await Self.call(client, .patch, "\(Self.base)/assignmentApprovals/\(requestID)/stages/\(requestID)",
                                               token: bobToken, body: #"{"reviewResult": "Approve", "justification": "on call"}"#)
            #expect(approved.status == 204, "\(approved.json)")
            let decided = try await Self.call(client, .get, "\(Self.base)/assignmentScheduleRequests/\(requestID)", token: aliceToken)
            #expect(decided.json["status"] as? String == "Provisioned", "\(decided.json)")
            #expect(try await harness.test.issuer.directory.transitiveGroups(tenantID: tenantID, memberID: alice.objectID).contains(groupID))

            let twice = try await Self.call(client, .patch, "\(Self.base)/assignmentApprovals/\(requestID)/stages/\(requestID)",
                                            token: bobToken, body: #"{"reviewResult": "Deny"}"#)
            #expect(twice.status == 400)
            #expect(Self.errorCode(twice.json) == "RequestNotPending")
        }
    }

    @Test func aPendingRequestIsCanceledByItsRequester() async throws {
        let (harness, groupID, admin) = try await Self.setUp()
        let alice = harness.users.alice
        _ = try await harness.test.issuer.privilegedAccess.updatePolicy(tenantID: harness.users.directory.tenant.id, groupID: groupID,
                                                                        access: .member, by: .commandLine) {
            $0.approvalRequired = true
            $0.approvers = [.user(harness.users.bob.objectID)]
        }
        let aliceToken = try await GraphAPITests.userToken(harness, user: alice, scope: Self.pimScope)
        try await harness.run { client in
            let pending = try await Self.call(client, .post, "\(Self.base)/assignmentScheduleRequests", token: aliceToken,
                                              body: Self.activation(groupID, alice.objectID))
            let requestID = try #require(pending.json["id"] as? String)
            let canceled = try await Self.call(client, .post, "\(Self.base)/assignmentScheduleRequests/\(requestID)/cancel",
                                               token: aliceToken)
            #expect(canceled.status == 204, "\(canceled.json)")
            let read = try await Self.call(client, .get, "\(Self.base)/assignmentScheduleRequests/\(requestID)", token: admin)
            #expect(read.json["status"] as? String == "Canceled")
            let again = try await Self.call(client, .post, "\(Self.base)/assignmentScheduleRequests/\(requestID)/cancel",
                                            token: aliceToken)
            #expect(Self.errorCode(again.json) == "RequestNotPending")
        }
    }

    @Test func anAdministratorMakesSomeoneEligibleAndRemovesIt() async throws {
        let (harness, groupID, admin) = try await Self.setUp()
        let bob = harness.users.bob
        try await harness.run { client in
            let path = "\(Self.base)/eligibilityScheduleRequests"
            let body = #"{"accessId": "member", "action": "adminAssign", "groupId": "\#(groupID)", "principalId": "\#(bob.objectID)", "justification": "rota", "scheduleInfo": {"startDateTime": "2020-01-01T00:00:00Z", "expiration": {"type": "noExpiration"}}}"#
            let past = try await Self.call(client, .post, path, token: admin, body: body)
            #expect(Self.errorCode(past.json) == "InvalidScheduleRequest", "a start years ago")
            let created = try await Self.call(client, .post, path, token: admin,
                                              body: body.replacingOccurrences(of: #""2020-01-01T00:00:00Z""#, with: "null"))
            #expect(created.status == 201, "\(created.json)")
            #expect(created.json["status"] as? String == "Provisioned")
            #expect(((created.json["createdBy"] as? [String: Any])?["application"] as? [String: Any]) != nil)

            let schedules = try await Self.call(client, .get, "\(Self.base)/eligibilitySchedules?$filter=groupId eq '\(groupID)'",
                                                token: admin)
            let principals = (schedules.json["value"] as? [[String: Any]] ?? []).compactMap { $0["principalId"] as? String }
            #expect(Set(principals) == [harness.users.alice.objectID, bob.objectID])

            let removed = try await Self.call(client, .post, path, token: admin,
                                              body: #"{"accessId": "member", "action": "adminRemove", "groupId": "\#(groupID)", "principalId": "\#(bob.objectID)"}"#)
            #expect(removed.status == 201, "\(removed.json)")
            #expect(removed.json["status"] as? String == "Revoked")
            let after = try await Self.call(client, .get, "\(Self.base)/eligibilityScheduleInstances", token: admin)
            let remaining = (after.json["value"] as? [[String: Any]] ?? []).compactMap { $0["principalId"] as? String }
            #expect(remaining == [harness.users.alice.objectID])

            let audits = try await GraphAPITests.appToken(harness, permissions: ["AuditLog.Read.All"])
            let trail = try await Self.call(client, .get, "/v1.0/auditLogs/directoryAudits", token: audits)
            let pim = (trail.json["value"] as? [[String: Any]] ?? []).filter { $0["loggedByService"] as? String == "Privileged Identity Management" }
            #expect(pim.count >= 2, "\(trail.json)")
        }
    }
}
