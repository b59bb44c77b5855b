"""The Content-Security-Policy is in force in Chromium and nothing the shop does violates it:
htmx swaps, previews, the swatch stylesheet (conftest also fails a test on any console error)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

COUNT_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def test_a_visit_violates_no_policy_and_htmx_still_swaps(shop):
    page = shop.page
    page.add_init_script(COUNT_VIOLATIONS)
    response = page.goto("/p/helmet")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    shop.click("shell_type", "open_face")  # an htmx swap under the policy
    shop.preview_width()
    assert page.evaluate("window.__violations") == []
    sheet = page.evaluate(
        "[...document.styleSheets].some(s => (s.href || '').includes('/swatches.css'))"
    )
    assert sheet


def test_an_inline_script_is_refused(shop):
    """The policy really binds: a script added inline does not run."""
    page = shop.page
    page.add_init_script(COUNT_VIOLATIONS)
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.head.append(s); }"
    )
    assert page.evaluate("window.__ran === true") is False
    assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))
    page.log.console_errors.clear()  # the refusal is logged, as it should be
