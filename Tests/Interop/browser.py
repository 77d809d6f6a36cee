"""A headless Chromium (Debian's `chromium` + `chromium-driver`, driven by Selenium) that
completes kubeid's sign-in pages like a person, taking a screenshot of every page it sees
into artifacts/screenshots/ so a reviewer can look at them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import shutil
import struct
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def totp(otpauth_uri: str, at: float | None = None) -> str:
    """The current RFC 6238 code for an otpauth:// URI (SHA-1, 6 digits, 30 s)."""
    secret = re.search(r"[?&]secret=([A-Z2-7]+)", otpauth_uri).group(1)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((at if at is not None else time.time()) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class Browser:
    def __init__(self, name: str):
        if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
            pytest.fail("chromium and chromium-driver are required (.ci/install-deps.sh test installs them)")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        # --ignore-certificate-errors: kubeid's test CA is not in Chromium's trust store; the
        # Python clients verify the chain themselves.
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--ignore-certificate-errors", "--window-size=1000,860", "--lang=en-US"):
            options.add_argument(argument)
        self.driver = self._start(options)
        self.driver.set_page_load_timeout(60)
        self.name = re.sub(r"[^A-Za-z0-9_-]+", "-", name)
        self.count = 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def _start(options):
        # On a loaded 2-core machine Chromium occasionally fails to come up in time
        # ("session not created" / DevToolsActivePort); starting it again is what a person would do.
        last_error = None
        for attempt in range(3):
            try:
                return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
            except Exception as error:  # selenium raises several types here
                last_error = error
                time.sleep(1 + attempt)
        raise last_error

    def close(self) -> None:
        self.driver.quit()

    # ------------------------------------------------------------------ basics

    def screenshot(self, label: str) -> Path:
        self.count += 1
        path = SCREENSHOTS / f"{self.name}-{self.count:02d}-{label}.png"
        self.driver.save_screenshot(str(path))
        return path

    def open(self, url: str, label: str) -> None:
        self.driver.get(url)
        self.wait_for(By.TAG_NAME, "h1")
        self.screenshot(label)

    def wait_for(self, by: str, value: str, timeout: float = 15):
        return WebDriverWait(self.driver, timeout).until(EC.presence_of_element_located((by, value)))

    @property
    def title(self) -> str:
        return self._retrying(lambda: self.driver.find_element(By.TAG_NAME, "h1").text)

    @property
    def text(self) -> str:
        return self._retrying(lambda: self.driver.find_element(By.TAG_NAME, "body").text)

    @staticmethod
    def _is_stale(error: Exception) -> bool:
        # Chromium reports an element from a document that was just replaced either as a stale
        # reference or as "Node with given id does not belong to the document"; in both cases the
        # action never reached the page, so doing it again on the current document is safe.
        return isinstance(error, StaleElementReferenceException) or "does not belong to the document" in str(error)

    def _replaced(self, old):
        """Like `EC.staleness_of`, but Chromium's driver sometimes reports a replaced document's
        element as "does not belong to the document" instead of a stale reference."""
        def predicate(_driver) -> bool:
            try:
                old.is_enabled()
                return False
            except WebDriverException as error:
                if self._is_stale(error):
                    return True
                raise
        return predicate

    def _retrying(self, action, attempts: int = 3):
        for attempt in range(attempts):
            try:
                return action()
            except WebDriverException as error:
                if not self._is_stale(error) or attempt == attempts - 1:
                    raise
                time.sleep(0.2)

    def submit(self, button_css: str, label: str | None = None, timeout: float = 20) -> None:
        """Clicks a submit button and waits for the next page (POST → 303 → GET, or form_post)."""
        def click():
            old = self.driver.find_element(By.TAG_NAME, "html")
            button = WebDriverWait(self.driver, timeout).until(EC.element_to_be_clickable((By.CSS_SELECTOR, button_css)))
            button.click()
            return old
        old = self._retrying(click)
        WebDriverWait(self.driver, timeout).until(self._replaced(old))
        WebDriverWait(self.driver, timeout).until(
            lambda driver: driver.execute_script("return document.readyState") == "complete")
        if label:
            self.screenshot(label)

    def type(self, element_id: str, text: str) -> None:
        def fill():
            field = self.wait_for(By.ID, element_id)
            field.clear()
            field.send_keys(text)
        self._retrying(fill)

    # ------------------------------------------------------------------ kubeid pages

    def enter_code(self, code: str, label: str = "after-code") -> None:
        self.type("otc", code)
        self.submit("button.primary", label)

    def sign_in(self, username: str, password: str, label: str = "after-password") -> None:
        self.type("username", username)
        self.type("password", password)
        self.screenshot("signin-filled")
        self.submit("button.primary", label)

    def enter_otp(self, code: str, label: str = "after-otp") -> None:
        self.type("otp", code)
        self.submit("button.primary", label)

    def confirm(self, label: str = "done") -> None:
        self.submit("button[value=continue]", label)

    def cancel(self, label: str = "cancelled") -> None:
        self.submit("button[value=cancel]", label)

    def approve_device_code(self, verification_uri: str, user_code: str, username: str, password: str,
                            otpauth_uri: str | None = None) -> None:
        """The whole /devicelogin journey: code, sign-in (and TOTP), confirmation, done."""
        self.open(verification_uri, "enter-code")
        assert self.title == "Enter code", self.text
        # People type codes in lower case and without the hyphen: both are accepted.
        self.enter_code(user_code.replace("-", "").lower(), "sign-in")
        assert self.title == "Sign in", self.text
        self.sign_in(username, password, "mfa" if otpauth_uri else "confirm")
        if otpauth_uri:
            assert self.title == "Enter code", self.text
            self.enter_otp(totp(otpauth_uri), "confirm")
        assert self.title.startswith("Are you trying to sign in to"), self.text
        self.confirm("done")
        assert "You have signed in to" in self.text, self.text
