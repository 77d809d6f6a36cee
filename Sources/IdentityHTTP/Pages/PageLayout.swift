/// The frame of every sign-in page: a centred card with the kubeid wordmark, a heading, the
/// content, and a footer. One stylesheet, served by kubeid (`/static/kubeid.css`); no external
/// asset, no inline style.
struct PageLayout {
    var title: String
    /// The organisation the page acts for (tenant name), shown above the heading.
    var organization: String?
    var content: Markup
    /// A page of tables (the `/pim` page) rather than a sign-in form: the card is wider.
    var wide = false

    func render() -> String {
        let organization = organization.map { name -> Markup in "<p class=\"org\">\(name)</p>" } ?? .empty
        let page: Markup = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(title) · kubeid</title>
        <link rel="stylesheet" href="/static/kubeid.css">
        </head>
        <body>
        <main class="\(wide ? "card wide" : "card")" aria-labelledby="page-title">
        <div class="brand" role="img" aria-label="kubeid"><span class="logo"></span><span class="wordmark">kubeid</span></div>
        \(organization)<h1 id="page-title">\(title)</h1>
        \(content)
        </main>
        <footer class="footer"><span>kubeid identity platform</span><span aria-hidden="true">·</span><span>Sign-in is protected: never share a code you didn't request.</span></footer>
        </body>
        </html>
        """
        return page.html
    }
}

/// Small shared pieces of the templates.
enum PageParts {
    /// The anti-CSRF token every form posts back.
    static func csrf(_ token: String) -> Markup { "<input type=\"hidden\" name=\"csrf\" value=\"\(token)\">" }

    static func step(_ name: String) -> Markup { "<input type=\"hidden\" name=\"step\" value=\"\(name)\">" }

    /// An error or information banner (`role="alert"` so screen readers announce it).
    static func notice(_ text: String?, kind: String = "error") -> Markup {
        guard let text else { return .empty }
        return "<div class=\"notice \(kind)\" role=\"alert\">\(text)</div>"
    }

    static func detail(_ label: String, _ value: String) -> Markup {
        "<div class=\"detail\"><dt>\(label)</dt><dd>\(value)</dd></div>"
    }
}
