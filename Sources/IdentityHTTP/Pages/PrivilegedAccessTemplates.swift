import Foundation
import IdentityCore

/// The `/pim` page: "Privileged access — My groups". Eligible groups as cards (what each opens
/// on the clusters, the policy's maximum and requirements, the activation form), then the
/// person's active assignments and pending requests as tables. Times are UTC.
enum PrivilegedAccessTemplates {
    static let title = "Privileged access — My groups"

    static func action(tenantID: String) -> String { "/pim?tenant=\(tenantID)" }

    struct EligibleGroup {
        var groupID: String
        var name: String
        var access: PrivilegedAccessSchedule.Access
        var eligibleUntil: Date?
        var policy: PrivilegedAccessPolicy
        var clusters: [GroupClusterAccess]
        var isActive: Bool
        var activeUntil: Date?
        var isPending: Bool
    }

    struct ActiveAssignment {
        var groupID: String
        var name: String
        var access: PrivilegedAccessSchedule.Access
        var startsAt: Date
        var endsAt: Date?
        /// Activated by the person (they may deactivate), rather than assigned by an administrator.
        var isActivation: Bool
        var clusters: [GroupClusterAccess]
    }

    struct PendingRequest {
        var id: String
        var groupID: String
        var name: String
        var access: PrivilegedAccessSchedule.Access
        var requestedAt: Date
        var duration: TimeInterval?
        var justification: String?
    }

    struct Overview {
        var organization: String
        var tenantID: String
        var displayName: String
        var userPrincipalName: String
        var hasMultiFactor: Bool
        var eligible: [EligibleGroup]
        var active: [ActiveAssignment]
        var pending: [PendingRequest]
    }

    /// A banner: a message and its kind (`error`, `success`, `info`).
    struct Notice {
        var text: String
        var kind: String
    }

    /// What the person typed into an activation form that was refused, shown again.
    struct Draft {
        var groupID: String
        var access: String
        var duration: String
        var justification: String

        init(_ fields: [String: String]) {
            groupID = fields["group"] ?? ""
            access = fields["access"] ?? ""
            duration = fields["duration"] ?? ""
            justification = fields["justification"] ?? ""
        }
    }

    /// Messages for the notice keys the page's POSTs leave in the session; the sign-in keys
    /// read as on the other sign-in pages.
    static func message(for key: String?) -> Notice? {
        switch key {
        case nil: return nil
        case "pim-activated": return Notice(text: "Your access is active. New tokens carry the group; sign in to the cluster again (or wait for your token to refresh).", kind: "success")
        case "pim-pending": return Notice(text: "Your request was sent for approval. It appears under Pending requests until an approver decides.", kind: "info")
        case "pim-deactivated": return Notice(text: "Your access was deactivated.", kind: "success")
        case "pim-cancelled": return Notice(text: "Your request was cancelled.", kind: "success")
        default: return SignInTemplates.message(for: key).map { Notice(text: $0, kind: "error") }
        }
    }

    // MARK: Pages

    /// Without `?tenant=` and a session: which organisation to sign in to.
    static func chooseOrganization(notice: String?) -> String {
        PageLayout(title: "Privileged access", organization: nil, content: """
        <p class="lead">Sign in to see the groups you can activate.</p>
        \(PageParts.notice(notice))
        <form method="get" action="/pim">
        <label for="tenant">Organization</label>
        <input type="text" id="tenant" name="tenant" autocomplete="organization" autocapitalize="none" spellcheck="false" placeholder="contoso" required autofocus>
        <div class="actions"><button type="submit" class="primary">Next</button></div>
        </form>
        """).render()
    }

    static func overview(_ overview: Overview, csrf: String, notice: Notice?, draft: Draft? = nil) -> String {
        let action = action(tenantID: overview.tenantID)
        let banner = notice.map { PageParts.notice($0.text, kind: $0.kind) } ?? .empty
        let cards: [Markup] = overview.eligible.map { eligibleCard($0, overview: overview, action: action, csrf: csrf, draft: draft) }
        return PageLayout(title: title, organization: overview.organization, content: """
        <div class="pim-bar">
        \(person(overview))
        <form method="post" action="\(action)" class="inline">\(PageParts.csrf(csrf))\(PageParts.step("signout"))<button type="submit" class="link">Sign out</button></form>
        </div>
        \(banner)
        <section class="pim-section" aria-labelledby="eligible-heading">
        <h2 id="eligible-heading">Eligible groups <span class="count">\(String(overview.eligible.count))</span></h2>
        <p class="small">Activate a group when you need it: you become a member for the time you choose, and the clusters below trust you for that time only.</p>
        \(cards.isEmpty ? empty("You aren't eligible for any group. An administrator can make you eligible with kubeid pim eligible add.") : Markup(trusted: cards.map(\.html).joined()))
        </section>
        <section class="pim-section" aria-labelledby="active-heading">
        <h2 id="active-heading">Active assignments <span class="count">\(String(overview.active.count))</span></h2>
        \(activeTable(overview.active, action: action, csrf: csrf))
        </section>
        <section class="pim-section" aria-labelledby="pending-heading">
        <h2 id="pending-heading">Pending requests <span class="count">\(String(overview.pending.count))</span></h2>
        \(pendingTable(overview.pending, action: action, csrf: csrf))
        </section>
        <p class="small pim-foot">Times are in UTC. Every activation, deactivation and cancellation is recorded in the audit log.</p>
        """, wide: true).render()
    }

    // MARK: Parts

    private static func person(_ overview: Overview) -> Markup {
        let initial = String((overview.displayName.isEmpty ? overview.userPrincipalName : overview.displayName).prefix(1)).uppercased()
        let mfa: Markup = overview.hasMultiFactor ? "<span class=\"badge ok\">MFA</span>" : .empty
        return """
        <div class="account"><span class="avatar" aria-hidden="true">\(initial)</span><span><strong>\(overview.displayName)</strong> <span class="small">\(overview.userPrincipalName)</span></span>\(mfa)</div>
        """
    }

    private static func eligibleCard(_ group: EligibleGroup, overview: Overview, action: String, csrf: String,
                                     draft: Draft?) -> Markup {
        let policy = group.policy
        let until = group.eligibleUntil.map { "Eligible until \(timestamp($0))" } ?? "Eligible permanently"
        var requirements: [Markup] = ["<li>Up to <strong>\(humanDuration(policy.maximumActivationDuration))</strong></li>"]
        if policy.activationRequirements.contains(.justification) { requirements.append("<li>Justification required</li>") }
        if policy.activationRequirements.contains(.multiFactorAuthentication) {
            requirements.append(overview.hasMultiFactor ? "<li>Multi-factor authentication required (done at sign-in)</li>"
                                                        : "<li class=\"warn\">Multi-factor authentication required: sign in with your authenticator app</li>")
        }
        if policy.activationRequirements.contains(.ticketing) { requirements.append("<li>Ticket number required</li>") }
        if policy.approvalRequired { requirements.append("<li>Approval required</li>") }
        let state: Markup
        if group.isActive {
            let end = group.activeUntil.map { "Active until \(timestamp($0))" } ?? "Active with no end"
            state = "<p class=\"state active\">\(end)</p>"
        } else if group.isPending {
            state = "<p class=\"state pending\">Waiting for approval</p>"
        } else {
            state = activationForm(group, action: action, csrf: csrf,
                                   draft: draft.flatMap { $0.groupID == group.groupID && $0.access == group.access.rawValue ? $0 : nil })
        }
        return """
        <article class="pim-card" aria-label="\(group.name)">
        <div class="pim-card-main">
        <h3>\(group.name) <span class="badge \(group.access.rawValue)">\(accessLabel(group.access))</span></h3>
        <p class="small">\(until) · <span class="mono">\(group.groupID)</span></p>
        \(clusterTable(group.clusters))
        <ul class="rules">\(requirements)</ul>
        </div>
        <div class="pim-card-side">\(state)</div>
        </article>
        """
    }

    private static func activationForm(_ group: EligibleGroup, action: String, csrf: String, draft: Draft?) -> Markup {
        let maximum = group.policy.maximumActivationDuration
        let chosen = draft.flatMap { PrivilegedAccessDuration.parse($0.duration) } ?? min(3600, maximum)
        let options: [Markup] = durationChoices(maximum: maximum).map { seconds in
            let selected: Markup = abs(seconds - chosen) < 0.5 ? " selected" : .empty
            return "<option value=\"\(PrivilegedAccessDuration.format(seconds))\"\(selected)>\(humanDuration(seconds))</option>"
        }
        let required = group.policy.activationRequirements.contains(.justification)
        let id = "\(group.groupID)-\(group.access.rawValue)"
        return """
        <form method="post" action="\(action)" class="activate">
        \(PageParts.csrf(csrf))\(PageParts.step("activate"))
        <input type="hidden" name="group" value="\(group.groupID)"><input type="hidden" name="access" value="\(group.access.rawValue)">
        <label for="duration-\(id)">Duration <span class="small">(maximum \(humanDuration(maximum)))</span></label>
        <select id="duration-\(id)" name="duration">\(options)</select>
        <label for="justification-\(id)">Justification\(required ? Markup(trusted: "") : Markup(trusted: " <span class=\"small\">(optional)</span>"))</label>
        <textarea id="justification-\(id)" name="justification" rows="2" maxlength="500" placeholder="Why do you need this access?"\(required ? " required" : Markup.empty)>\(draft?.justification ?? "")</textarea>
        <div class="actions"><button type="submit" class="primary">Activate</button></div>
        </form>
        """
    }

    private static func clusterTable(_ clusters: [GroupClusterAccess]) -> Markup {
        guard !clusters.isEmpty else { return "<p class=\"small\">This group gives no role on a registered cluster.</p>" }
        let rows: [Markup] = clusters.map { entry in
            let scope = entry.namespace.map { "Namespace \($0)" } ?? "Whole cluster"
            let via = entry.isAdminGroup ? "Cluster admin group" : "Role assignment"
            return "<tr><td><strong>\(entry.clusterName)</strong></td><td>\(entry.role)</td><td>\(scope)</td><td class=\"small\">\(via)</td></tr>"
        }
        return """
        <table class="grid compact"><thead><tr><th scope="col">Cluster</th><th scope="col">Role</th><th scope="col">Scope</th><th scope="col">Through</th></tr></thead><tbody>\(rows)</tbody></table>
        """
    }

    private static func activeTable(_ active: [ActiveAssignment], action: String, csrf: String) -> Markup {
        guard !active.isEmpty else { return empty("You have no active assignments.") }
        let rows: [Markup] = active.map { assignment in
            let clusters = assignment.clusters.map(\.clusterName)
            let button: Markup = assignment.isActivation ? """
                <form method="post" action="\(action)" class="inline">\(PageParts.csrf(csrf))\(PageParts.step("deactivate"))<input type="hidden" name="group" value="\(assignment.groupID)"><input type="hidden" name="access" value="\(assignment.access.rawValue)"><button type="submit" class="secondary small-button">Deactivate</button></form>
                """ : "<span class=\"small\">Assigned by an administrator</span>"
            return """
            <tr><td><strong>\(assignment.name)</strong></td><td><span class="badge \(assignment.access.rawValue)">\(accessLabel(assignment.access))</span></td><td>\(clusters.isEmpty ? "—" : Array(Set(clusters)).sorted().joined(separator: ", "))</td><td>\(timestamp(assignment.startsAt))</td><td><strong>\(assignment.endsAt.map(timestamp) ?? "No end")</strong></td><td class="right">\(button)</td></tr>
            """
        }
        return """
        <table class="grid"><thead><tr><th scope="col">Group</th><th scope="col">Access</th><th scope="col">Clusters</th><th scope="col">Started</th><th scope="col">Ends</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead><tbody>\(rows)</tbody></table>
        """
    }

    private static func pendingTable(_ pending: [PendingRequest], action: String, csrf: String) -> Markup {
        guard !pending.isEmpty else { return empty("You have no requests waiting for approval.") }
        let rows: [Markup] = pending.map { request in
            """
            <tr><td><strong>\(request.name)</strong></td><td><span class="badge \(request.access.rawValue)">\(accessLabel(request.access))</span></td><td>\(timestamp(request.requestedAt))</td><td>\(request.duration.map(humanDuration) ?? "—")</td><td>\(request.justification ?? "—")</td><td class="right"><form method="post" action="\(action)" class="inline">\(PageParts.csrf(csrf))\(PageParts.step("cancel"))<input type="hidden" name="request" value="\(request.id)"><button type="submit" class="secondary small-button">Cancel</button></form></td></tr>
            """
        }
        return """
        <table class="grid"><thead><tr><th scope="col">Group</th><th scope="col">Access</th><th scope="col">Requested</th><th scope="col">Duration</th><th scope="col">Justification</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead><tbody>\(rows)</tbody></table>
        """
    }

    private static func accessLabel(_ access: PrivilegedAccessSchedule.Access) -> String {
        access == .owner ? "Owner" : "Member"
    }

    private static func empty(_ text: String) -> Markup { "<p class=\"empty\">\(text)</p>" }

    // MARK: Formatting

    static func timestamp(_ date: Date) -> String { DeviceLoginTemplates.timestamp(date) }

    /// The durations offered: common ones up to the policy's maximum, and the maximum itself.
    static func durationChoices(maximum: TimeInterval) -> [TimeInterval] {
        let common: [TimeInterval] = [900, 1800, 3600, 7200, 4 * 3600, 8 * 3600, 12 * 3600, 86_400]
        return Array(Set(common.filter { $0 < maximum } + [maximum])).sorted()
    }

    /// `1 hour 30 minutes`, `8 hours`, `1 day`.
    static func humanDuration(_ seconds: TimeInterval) -> String {
        var remaining = Int(seconds.rounded())
        var parts: [String] = []
        for (unit, size) in [("day", 86_400), ("hour", 3600), ("minute", 60)] where remaining >= size {
            let count = remaining / size
            remaining %= size
            parts.append("\(count) \(unit)\(count == 1 ? "" : "s")")
        }
        if parts.isEmpty || remaining > 0 { parts.append("\(remaining) second\(remaining == 1 ? "" : "s")") }
        return parts.joined(separator: " ")
    }
}
