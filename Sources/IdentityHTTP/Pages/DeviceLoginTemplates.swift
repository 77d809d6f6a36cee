import Foundation

/// The `/devicelogin` pages: enter code → sign in → confirm → done (RFC 8628 §5.4: the confirm
/// page names the application, the resource, the organisation, and when and where the flow
/// started, and asks the user to confirm the device is theirs).
enum DeviceLoginTemplates {
    static let action = "/devicelogin"

    static func enterCode(csrf: String, notice: String?) -> String {
        PageLayout(title: "Enter code", organization: nil, content: """
        <p class="lead">Enter the code displayed on your app or device.</p>
        \(PageParts.notice(notice))
        <form method="post" action="\(action)">
        \(PageParts.csrf(csrf))\(PageParts.step("code"))
        <label for="otc">Code</label>
        <input type="text" id="otc" name="otc" class="code" maxlength="12" autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="XXXX-XXXX" required autofocus>
        <div class="actions"><button type="submit" class="primary">Next</button></div>
        </form>
        <p class="small">Only enter a code that you got from a device or app you're using right now.</p>
        """).render()
    }

    /// A "Back" button that forgets the entered code (the flow itself stays pending).
    static func restart(csrf: String) -> Markup {
        "<button type=\"submit\" class=\"secondary\" form=\"restart\">Back</button>"
    }

    static func restartForm(csrf: String) -> Markup {
        "<form id=\"restart\" method=\"post\" action=\"\(action)\" class=\"inline\">\(PageParts.csrf(csrf))\(PageParts.step("restart"))</form>"
    }

    struct Confirmation {
        var applicationName: String
        var resourceName: String
        var scopes: String
        var organization: String
        var tenantID: String
        var startedAt: Date
        var startedFrom: String
        var userPrincipalName: String
    }

    static func confirm(csrf: String, _ details: Confirmation, notice: String?) -> String {
        PageLayout(title: "Are you trying to sign in to \(details.applicationName)?", organization: details.organization, content: """
        \(SignInTemplates.account(details.userPrincipalName))
        \(PageParts.notice(notice))
        <p>Only continue if you started this sign-in yourself, on a device you have with you.</p>
        <dl class="details">
        \(PageParts.detail("Application", details.applicationName))
        \(PageParts.detail("Requesting access to", "\(details.resourceName) (\(details.scopes))"))
        \(PageParts.detail("Organization", "\(details.organization) · \(details.tenantID)"))
        \(PageParts.detail("Started", timestamp(details.startedAt)))
        \(PageParts.detail("From IP address", details.startedFrom))
        </dl>
        <p class="warning">If you didn't start this, or someone sent you the code, select Cancel: continuing would give them access to your account.</p>
        <form method="post" action="\(action)">
        \(PageParts.csrf(csrf))\(PageParts.step("confirm"))
        <div class="actions">
        <button type="submit" name="action" value="cancel" class="secondary">Cancel</button>
        <button type="submit" name="action" value="continue" class="primary" autofocus>Continue</button>
        </div>
        </form>
        <form method="post" action="\(action)">\(PageParts.csrf(csrf))\(PageParts.step("signout"))<button type="submit" class="link">Not you? Sign in with another account</button></form>
        """).render()
    }

    static func done(applicationName: String, approved: Bool) -> String {
        if approved {
            return PageLayout(title: applicationName, organization: nil, content: """
            <p class="done" aria-hidden="true">✓</p>
            <p>You have signed in to the <strong>\(applicationName)</strong> application on your device. You may now close this window.</p>
            """).render()
        }
        return PageLayout(title: "Sign-in cancelled", organization: nil, content: """
        <p class="done cancelled" aria-hidden="true">✕</p>
        <p>You didn't sign in to <strong>\(applicationName)</strong>. Nothing was shared with the device. You may now close this window.</p>
        """).render()
    }

    /// `2026-06-01 14:03 UTC`.
    static func timestamp(_ date: Date) -> String {
        var time = time_t(Int(date.timeIntervalSince1970))
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d UTC", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}
