import Cryptography
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("/pim: privileged access self-service page")
struct PrivilegedAccessPagesTests {
    /// contoso with a group `prod-operators`: the admin group of cluster `prod` and a Reader on
    /// namespace `payments` of cluster `dev`; alice and bob are eligible for its membership, at
    /// most one hour, with `requirements` (the default policy wants a justification).
    struct World {
        var harness: SignInHTTPHarness
        var group: Group
        var path: String { "/pim?tenant=\(harness.tenantID)" }

        /// The groups tokens carry, past the directory cache's staleness window.
        func transitiveGroups(of user: User) async throws -> [String] {
            harness.test.clock.advance(by: 2)
            return try await harness.test.issuer.directory.transitiveGroups(tenantID: harness.tenantID, memberID: user.objectID)
        }
    }

    static func world(requirements: Set<PrivilegedAccessPolicy.ActivationRequirement> = [.justification]) async throws -> World {
        let harness = try await SignInHTTPHarness.make()
        let admin = harness.test.administration
        let group = try await admin.createGroup(tenant: "contoso", displayName: "prod-operators", mailNickname: nil)
        _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(
            name: "prod", server: "https://prod.test:6443", enableAAD: true, adminGroupObjectIDs: [group.objectID],
            enableAzureRBAC: true))
        _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(
            name: "dev", server: "https://dev.test:6443", enableAAD: true, adminGroupObjectIDs: [harness.users.directory.outer.objectID],
            enableAzureRBAC: true))
        _ = try await admin.createRoleAssignment(role: "Azure Kubernetes Service RBAC Reader", assignee: group.objectID,
                                                 scope: "/tenants/\(harness.tenantID)/clusters/dev/namespaces/payments")
        let pim = harness.test.issuer.privilegedAccess
        for user in [harness.users.alice, harness.users.bob] {
            _ = try await pim.submit(PrivilegedAccessSubmission(kind: .eligibility, action: .adminAssign, groupID: group.objectID,
                                                                principalID: user.objectID, expiration: .noExpiration),
                                     tenantID: harness.tenantID, by: .commandLine)
        }
        _ = try await pim.updatePolicy(tenantID: harness.tenantID, groupID: group.objectID, access: .member, by: .commandLine) {
            $0.maximumActivationDuration = 3600
            $0.activationRequirements = requirements
        }
        return World(harness: harness, group: group)
    }

    /// Signs alice in on `/pim` (password only) and returns the page she lands on.
    static func signIn(_ browser: inout PageBrowser, _ world: World, as upn: String = "alice@contoso.test") async throws -> TestResponse {
        let first = try await browser.get(world.path)
        #expect(first.html.contains("autocomplete=\"current-password\""))
        return try await browser.follow(try await browser.post(world.path, [
            ("step", "password"), ("username", upn), ("password", UserFixture.password)]))
    }

    static func activate(_ browser: inout PageBrowser, _ world: World, duration: String = "PT1H",
                         justification: String?, withCSRF: Bool = true) async throws -> TestResponse {
        var fields = [("step", "activate"), ("group", world.group.objectID), ("access", "member"), ("duration", duration)]
        if let justification { fields.append(("justification", justification)) }
        return try await browser.post(world.path, fields, withCSRF: withCSRF)
    }

    @Test func eligibleGroupIsListedWithItsClusters() async throws {
        let world = try await Self.world()
        try await world.harness.run { client in
            var browser = PageBrowser(client)
            let page = try await Self.signIn(&browser, world)
            #expect(page.status == .ok)
            expectPageHeaders(page)
            for text in ["Privileged access — My groups", "Alice Jones", "alice@contoso.test", "prod-operators", "Eligible permanently",
                         "prod", "cluster-admin", "Cluster admin group", "dev", "Azure Kubernetes Service RBAC Reader",
                         "Namespace payments", "maximum 1 hour", "Justification required", "Activate",
                         "You have no active assignments.", "You have no requests waiting for approval."] {
                #expect(page.html.contains(HTMLEscaped(text)), "\(text)")
            }
            // The duration choices stop at the policy's maximum.
            #expect(page.html.contains("value=\"PT1H\" selected"))
            #expect(!page.html.contains("value=\"PT2H\""))
            // `dev`'s admin group is `outer`, which alice reaches through `inner` without PIM: not listed as hers to activate.
            #expect(!page.html.contains("k8s-admins"))
        }
    }

    @Test func activationWithoutARequiredJustificationShowsThePolicyError() async throws {
        let world = try await Self.world()
        try await world.harness.run { client in
            var browser = PageBrowser(client)
            _ = try await Self.signIn(&browser, world)
            let refused = try await Self.activate(&browser, world, justification: "  ")
            #expect(refused.status == .ok)
            expectPageHeaders(refused)
            #expect(refused.headers[.contentType] == "text/html; charset=utf-8")
            #expect(refused.html.contains("role=\"alert\""))
            #expect(refused.html.contains(HTMLEscaped("The following policy rules failed: [\"JustificationRule\"]")))
            #expect(refused.html.contains("Privileged access — My groups"))
            let over = try await Self.activate(&browser, world, duration: "PT2H", justification: "incident 42")
            #expect(over.html.contains("ExpirationRule"))
            #expect(over.html.contains(">incident 42</textarea>"), "what was typed is kept")
            #expect(!(try await world.transitiveGroups(of: world.harness.users.alice)).contains(world.group.objectID))
        }
    }

    @Test func activationAddsTheGroupAndDeactivationRemovesIt() async throws {
        let world = try await Self.world()
        let alice = world.harness.users.alice
        let start = world.harness.test.clock.now()
        try await world.harness.run { client in
            var browser = PageBrowser(client)
            _ = try await Self.signIn(&browser, world)
            let activated = try await Self.activate(&browser, world, duration: "PT30M", justification: "INC-1234: payments outage")
            #expect(activated.status == .seeOther)
            #expect(activated.headers[.location] == world.path)
            var page = try await browser.follow(activated)
            #expect(page.html.contains("Your access is active."))
            #expect(try await world.transitiveGroups(of: alice).contains(world.group.objectID))
            let end = UTCTimestamp.format(start.addingTimeInterval(1800))
            #expect(page.html.contains("Active until \(end)"))
            #expect(page.html.contains("<strong>\(end)</strong>"), "the active assignments table shows the end")
            #expect(page.html.contains("Deactivate"))

            let again = try await Self.activate(&browser, world, justification: "twice")
            #expect(again.html.contains("RoleAssignmentExists") || again.html.contains(HTMLEscaped("already has this access")))

            page = try await browser.follow(try await browser.post(world.path, [
                ("step", "deactivate"), ("group", world.group.objectID), ("access", "member")]))
            #expect(page.html.contains("Your access was deactivated."))
            #expect(page.html.contains("You have no active assignments."))
            #expect(!(try await world.transitiveGroups(of: alice)).contains(world.group.objectID))
        }
    }

    @Test func postsWithoutTheCSRFTokenAreRefused() async throws {
        let world = try await Self.world()
        try await world.harness.run { client in
            var browser = PageBrowser(client)
            _ = try await Self.signIn(&browser, world)
            let refused = try await Self.activate(&browser, world, justification: "no token", withCSRF: false)
            #expect(refused.status == .forbidden)
            expectPageHeaders(refused)
            #expect(refused.html.contains("We couldn&#39;t complete that request"))
            let forged = try await browser.post(world.path, [("step", "activate"), ("group", world.group.objectID),
                                                             ("duration", "PT1H"), ("justification", "x"), ("csrf", "forged")],
                                                withCSRF: false)
            #expect(forged.status == .forbidden)
            let crossSite = try await browser.post(world.path, [("step", "activate"), ("group", world.group.objectID),
                                                                ("duration", "PT1H"), ("justification", "x")],
                                                   extraHeaders: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .forbidden)
            #expect(!(try await world.transitiveGroups(of: world.harness.users.alice)).contains(world.group.objectID))
        }
    }

    @Test func multiFactorPolicyNeedsTheTOTPCode() async throws {
        let world = try await Self.world(requirements: [.justification, .multiFactorAuthentication])
        try await world.harness.run { client in
            // alice signed in with a password only: refused with the policy's message.
            var alice = PageBrowser(client)
            let page = try await Self.signIn(&alice, world)
            #expect(page.html.contains("Multi-factor authentication required: sign in with your authenticator app"))
            let refused = try await Self.activate(&alice, world, justification: "need it")
            #expect(refused.html.contains("MfaRule"))
            #expect(!(try await world.transitiveGroups(of: world.harness.users.alice)).contains(world.group.objectID))

            // bob is asked for his code; a wrong one is refused, the right one lets him activate.
            var bob = PageBrowser(client)
            var step = try await Self.signIn(&bob, world, as: "bob@contoso.test")
            #expect(step.html.contains("autocomplete=\"one-time-code\""))
            step = try await bob.follow(try await bob.post(world.path, [("step", "otp"), ("otp", "000000")]))
            #expect(step.html.contains("That code didn&#39;t work"))
            let code = OneTimePassword.totp(secret: UserFixture.secret(of: world.harness.users.bobTOTP),
                                            unixTime: Int64(world.harness.test.clock.now().timeIntervalSince1970))
            step = try await bob.follow(try await bob.post(world.path, [("step", "otp"), ("otp", code)]))
            #expect(step.html.contains("Privileged access — My groups"))
            #expect(step.html.contains("Multi-factor authentication required (done at sign-in)"))
            let activated = try await Self.activate(&bob, world, justification: "on call")
            #expect(activated.status == .seeOther)
            #expect(try await world.transitiveGroups(of: world.harness.users.bob).contains(world.group.objectID))
        }
    }

    @Test func withoutATenantThePageAsksForTheOrganization() async throws {
        let world = try await Self.world()
        try await world.harness.run { client in
            var browser = PageBrowser(client)
            let page = try await browser.get("/pim")
            #expect(page.status == .ok)
            expectPageHeaders(page)
            #expect(page.html.contains("<label for=\"tenant\">Organization</label>"))
            #expect(try await browser.get("/pim?tenant=nowhere").status == .notFound)
        }
    }
}

/// The page's time format, as the tests expect it (`2026-06-01 14:03:00 UTC`).
enum UTCTimestamp {
    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }
}
