"""Browser tests on Debian's chromium + chromedriver (never a downloaded browser), 1920×1080, headless.

Offline guarantee: Chromium resolves no host but the loopback, so any request elsewhere fails and shows as
a console error; tests also check the page's Resource Timing list names only the app's origin.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.chrome.options import Options

from dashboard import create_app


def pytest_setup_options():
    options = Options()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--window-size=1920,1080",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
        "--lang=fr-FR",
    ):
        options.add_argument(argument)
    return options


@pytest.fixture
def app_dash(base_sqlite_initialisee):
    return create_app(base_sqlite_initialisee)
