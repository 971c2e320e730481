"""Every browser journey runs under the strict CSP and fails on any violation it causes."""

import pytest
from playwright.sync_api import Page

# Runs in every document before the page's own scripts (Playwright injects it past the CSP).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.reportCspViolation([event.effectiveDirective, event.blockedURI, event.sourceFile || "",
    event.lineNumber, (event.sample || "").slice(0, 80), document.location.pathname].join(" | "));
}, true);
"""


@pytest.fixture(autouse=True)
def csp_violations(page: Page):
    """The CSP violations of this test's page (events and console messages); none at the end."""
    found: list[str] = []
    page.expose_function("reportCspViolation", lambda text: found.append(text))
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield found
    assert not found, "CSP violations:\n" + "\n".join(found)
