/// Pages of the authorization endpoint other than the sign-in forms.
enum AuthorizeTemplates {
    /// The form_post response: an auto-submitting form to the client's redirect URI, with a
    /// button for browsers without script. The one inline script carries the CSP nonce.
    static func formPost(redirectURI: String, parameters: [(String, String)], nonce: String) -> String {
        let fields = parameters.map { name, value -> Markup in
            "<input type=\"hidden\" name=\"\(name)\" value=\"\(value)\">"
        }
        return PageLayout(title: "Signing you in…", organization: nil, content: """
        <p class="lead">Returning to the application.</p>
        <form method="post" action="\(redirectURI)" id="response">
        \(fields)
        <noscript><div class="actions"><button type="submit" class="primary">Continue</button></div></noscript>
        </form>
        <script nonce="\(nonce)">document.getElementById("response").submit();</script>
        """).render()
    }

    /// An error the user sees instead of a redirect (unknown client, bad redirect URI, bad CSRF...).
    static func error(title: String, message: String) -> String {
        PageLayout(title: title, organization: nil, content: """
        \(PageParts.notice(message))
        <p class="small">You can close this window and try again from the application.</p>
        """).render()
    }

    /// A "Cancel" button for the authorize sign-in form: the client receives `access_denied`.
    static func cancel(action: String, csrf: String) -> Markup {
        "<button type=\"submit\" class=\"secondary\" form=\"cancel\">Cancel</button>"
    }

    static func cancelForm(action: String, csrf: String) -> Markup {
        "<form id=\"cancel\" method=\"post\" action=\"\(action)\" class=\"inline\">\(PageParts.csrf(csrf))\(PageParts.step("cancel"))</form>"
    }
}
