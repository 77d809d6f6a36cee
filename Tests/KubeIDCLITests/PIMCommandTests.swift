import Foundation
import Testing

@Suite("kubeid pim")
struct PIMCommandTests {
    /// A tenant with the groups `platform` (the principal: a group's members may be eligible)
    /// and `aks-admins`; returns their ids.
    private static func setUp(_ kubeid: KubeID) async throws -> (platform: String, group: String) {
        _ = try await kubeid.json(["tenant", "create", "--name", "contoso"])
        let platform = try #require(try await kubeid.json(["group", "create", "--tenant", "contoso", "--display-name", "platform"])
            as? [String: Any])
        let group = try #require(try await kubeid.json(["group", "create", "--tenant", "contoso", "--display-name", "aks-admins"])
            as? [String: Any])
        return (try #require(platform["id"] as? String), try #require(group["id"] as? String))
    }

    @Test func eligibilityAssignmentAndListWithTheirWindows() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let (platform, group) = try await Self.setUp(kubeid)
        let eligible = try #require(try await kubeid.json(["pim", "eligible", "add", "--tenant", "contoso", "--group", "aks-admins",
                                                           "--principal", platform, "--duration", "P30D"]) as? [String: Any])
        #expect(eligible["status"] as? String == "Provisioned")
        #expect(eligible["action"] as? String == "adminAssign")
        #expect((eligible["targetScheduleId"] as? String)?.hasPrefix("\(group)_member_") == true)

        let assigned = try #require(try await kubeid.json(["pim", "assign", "--tenant", "contoso", "--group", group,
                                                           "--principal", platform, "--duration", "2h",
                                                           "--justification", "on call"]) as? [String: Any])
        #expect(assigned["justification"] as? String == "on call")
        let schedule = try #require(assigned["scheduleInfo"] as? [String: Any])
        let expiration = try #require(schedule["expiration"] as? [String: Any])
        #expect(expiration["type"] as? String == "afterDuration")
        #expect(expiration["duration"] as? String == "PT2H")

        let listed = try #require(try await kubeid.json(["pim", "list", "--tenant", "contoso"]) as? [[String: Any]])
        #expect(listed.compactMap { $0["kind"] as? String }.sorted() == ["active", "eligible"])
        let active = try #require(listed.first { $0["kind"] as? String == "active" })
        #expect(active["principalId"] as? String == platform)
        #expect(active["endDateTime"] is String)
        let members = try #require(try await kubeid.json(["group", "member", "list", "--tenant", "contoso", "--group", group])
            as? [[String: Any]])
        #expect(members.compactMap { $0["id"] as? String } == [platform])

        let removed = try #require(try await kubeid.json(["pim", "remove", "--tenant", "contoso", "--group", group,
                                                          "--principal", platform]) as? [String: Any])
        #expect(removed["status"] as? String == "Revoked")
        #expect((try await kubeid.json(["group", "member", "list", "--tenant", "contoso", "--group", group]) as? [Any])?.isEmpty == true)
    }

    @Test func refusalsAreErrorsOnStderr() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let (platform, _) = try await Self.setUp(kubeid)
        let base = ["--tenant", "contoso", "--group", "aks-admins", "--principal", platform]
        _ = try await kubeid.json(["pim", "eligible", "add"] + base)
        let again = try await kubeid.run(["pim", "eligible", "add"] + base)
        #expect(again.status == 1)
        #expect(again.stderr.hasPrefix("Error: The principal already has this access"), "\(again.stderr)")
        let short = try await kubeid.run(["pim", "assign"] + base + ["--duration", "30s"])
        #expect(short.stderr == "Error: The shortest schedule is one minute (PT1M).\n")
        let both = try await kubeid.run(["pim", "assign"] + base + ["--duration", "1h", "--end", "2030-01-01T00:00:00Z"])
        #expect(both.stderr == "Error: give --duration or --end, not both\n")
        let badDuration = try await kubeid.run(["pim", "assign"] + base + ["--duration", "PTX"])
        #expect(badDuration.stderr.hasPrefix("Error: --duration must be a duration"), "\(badDuration.stderr)")
        let unknownGroup = try await kubeid.run(["pim", "eligible", "list", "--tenant", "contoso", "--group", "nobody"])
        #expect(unknownGroup.stderr == "Error: no group named 'nobody'\n")
        let noRequest = try await kubeid.run(["pim", "approve", "--tenant", "contoso", "--request", "missing"])
        #expect(noRequest.status == 1)
        #expect(noRequest.stderr.hasPrefix("Error: "), "\(noRequest.stderr)")
    }

    @Test func policyUpdateChangesOnlyWhatIsGivenAndApprovalFlows() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let (platform, _) = try await Self.setUp(kubeid)
        let shown = try #require(try await kubeid.json(["pim", "policy", "show", "--tenant", "contoso", "--group", "aks-admins"])
            as? [String: Any])
        #expect(Self.rule("Expiration_EndUser_Assignment", in: shown)?["maximumDuration"] as? String == "PT8H")
        #expect(Self.rule("Enablement_EndUser_Assignment", in: shown)?["enabledRules"] as? [String] == ["Justification"])

        let updated = try #require(try await kubeid.json([
            "pim", "policy", "update", "--tenant", "contoso", "--group", "aks-admins", "--max-duration", "90m", "--require-mfa",
            "--no-require-justification", "--require-approval", "--approver", "platform",
        ]) as? [String: Any])
        #expect(Self.rule("Expiration_EndUser_Assignment", in: updated)?["maximumDuration"] as? String == "PT1H30M")
        #expect(Self.rule("Enablement_EndUser_Assignment", in: updated)?["enabledRules"] as? [String] == ["MultiFactorAuthentication"])
        let approval = try #require(Self.rule("Approval_EndUser_Assignment", in: updated)?["setting"] as? [String: Any])
        #expect(approval["isApprovalRequired"] as? Bool == true)
        let stage = try #require((approval["approvalStages"] as? [[String: Any]])?.first)
        #expect((stage["primaryApprovers"] as? [[String: Any]])?.first?["groupId"] as? String == platform)
        // Unchanged by a second update that names only one flag.
        let again = try #require(try await kubeid.json(["pim", "policy", "update", "--tenant", "contoso", "--group", "aks-admins",
                                                        "--max-eligibility", "P90D"]) as? [String: Any])
        #expect(Self.rule("Expiration_EndUser_Assignment", in: again)?["maximumDuration"] as? String == "PT1H30M")
        #expect(Self.rule("Expiration_Admin_Eligibility", in: again)?["maximumDuration"] as? String == "P90D")
        let tooShort = try await kubeid.run(["pim", "policy", "update", "--tenant", "contoso", "--group", "aks-admins",
                                             "--max-duration", "10s"])
        #expect(tooShort.stderr == "Error: The maximum activation duration must be at least one minute.\n")
    }

    private static func rule(_ id: String, in policy: [String: Any]) -> [String: Any]? {
        (policy["rules"] as? [[String: Any]])?.first { $0["id"] as? String == id }
    }
}
