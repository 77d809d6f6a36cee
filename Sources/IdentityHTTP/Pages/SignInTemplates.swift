/// The sign-in forms both the device-login and the authorize pages use.
enum SignInTemplates {
    /// User name and password. `action` is where the form posts (same page).
    static func password(action: String, csrf: String, organization: String, appName: String, loginHint: String?,
                         notice: String?, cancel: Markup, extraForms: Markup) -> String {
        PageLayout(title: "Sign in", organization: organization, content: """
        <p class="lead">to continue to <strong>\(appName)</strong></p>
        \(PageParts.notice(notice))
        <form method="post" action="\(action)" autocomplete="on">
        \(PageParts.csrf(csrf))\(PageParts.step("password"))
        <label for="username">Email or user name</label>
        <input type="email" id="username" name="username" value="\(loginHint ?? "")" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required>
        <div class="actions">\(cancel)<button type="submit" class="primary">Sign in</button></div>
        </form>
        \(extraForms)
        """).render()
    }

    /// The TOTP code of an enrolled user.
    static func oneTimeCode(action: String, csrf: String, organization: String, userPrincipalName: String,
                            notice: String?, cancel: Markup, extraForms: Markup) -> String {
        PageLayout(title: "Enter code", organization: organization, content: """
        \(account(userPrincipalName))
        <p class="lead">Enter the 6-digit code from the authenticator app on your phone.</p>
        \(PageParts.notice(notice))
        <form method="post" action="\(action)">
        \(PageParts.csrf(csrf))\(PageParts.step("otp"))
        <label for="otp">Code</label>
        <input type="text" id="otp" name="otp" class="code" inputmode="numeric" pattern="[0-9 ]{6,7}" maxlength="7" autocomplete="one-time-code" required autofocus>
        <div class="actions">\(cancel)<button type="submit" class="primary">Verify</button></div>
        </form>
        \(extraForms)
        """).render()
    }

    /// The signed-in account, as a small badge.
    static func account(_ userPrincipalName: String) -> Markup {
        let initial = String(userPrincipalName.prefix(1)).uppercased()
        return "<div class=\"account\"><span class=\"avatar\" aria-hidden=\"true\">\(initial)</span><span>\(userPrincipalName)</span></div>"
    }

    /// Messages for notice keys kept in the session (never user input, never revealing whether
    /// a code or account exists).
    static func message(for key: String?) -> String? {
        switch key {
        case "code-invalid": return "That code didn't work. Check the code and try again."
        case "code-blocked": return "Too many attempts. Wait a while, then start again on your device."
        case "code-expired": return "That code has expired or was already used. Start again on your device to get a new code."
        case "credentials": return "Your account or password is incorrect. Try again."
        case "locked": return "Your account is temporarily locked to prevent unauthorized use. Try again later."
        case "disabled": return "Your account has been disabled. Contact your administrator."
        case "otp": return "That code didn't work. Enter the current code from your authenticator app."
        case "session": return "Your session expired. Please start again."
        default: return nil
        }
    }
}
