"""Completes one kubeid device-code sign-in in headless Chromium, like a person would.

Used by the Swift end-to-end tests (Tests/EndToEndTests), which run the real kubectl and
kubelogin and need someone to open /devicelogin, type the code and sign in:

    .venv/bin/python device_login.py --url https://127.0.0.1:8443/devicelogin --code ABCD1234 \
        --username alice@contoso.test --password-file pw.txt --name e2e-alice

Exit status 0 when the pages said "You have signed in"; screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import Browser  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--code", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--name", default="device-login")
    args = parser.parse_args()
    password = Path(args.password_file).read_text().strip()
    browser = Browser(args.name)
    try:
        browser.approve_device_code(args.url, args.code, args.username, password)
    finally:
        browser.close()
    print("signed in")
    return 0


if __name__ == "__main__":
    sys.exit(main())
