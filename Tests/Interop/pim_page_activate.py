"""Activates (or deactivates) a just-in-time group membership on kubeid's /pim page in headless
Chromium, as a person would: sign in, type a justification, press Activate (or Deactivate).
Used by the Swift end-to-end tests:

    .venv/bin/python pim_page_activate.py --base https://127.0.0.1:8443 --tenant e2e \
        --username alice@e2e.test --password-file pw.txt --group GID --justification "INC-1" [--deactivate]

Prints the page's "Active until …" end (or "deactivated"); exit 1 with the page's text when it
shows something else.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import Browser  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--tenant", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--justification", default="")
    parser.add_argument("--deactivate", action="store_true")
    parser.add_argument("--name", default="pim-page")
    args = parser.parse_args()
    password = Path(args.password_file).read_text().strip()
    browser = Browser(args.name)
    try:
        browser.open(f"{args.base}/pim?tenant={args.tenant}", "pim-sign-in")
        if browser.title == "Sign in":
            browser.sign_in(args.username, password, "pim-groups")
        if browser.title != "Privileged access — My groups":
            print(browser.text, file=sys.stderr)
            return 1
        if args.deactivate:
            browser.submit("form.inline button.secondary", "pim-deactivated")
            text = browser.text
            if "You have no active assignments." not in text:
                print(text, file=sys.stderr)
                return 1
            print("deactivated")
            return 0
        browser.type(f"justification-{args.group}-member", args.justification)
        browser.submit("form.activate button.primary", "pim-activated")
        text = browser.text
        ends = re.search(r"Active until (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC", text)
        if "Your access is active." not in text or not ends:
            print(text, file=sys.stderr)
            return 1
        print(ends.group(1))
        return 0
    finally:
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
