"""The main pages satisfy the Content-Security-Policy in a real browser: chromium reports
no violation (no `securitypolicyviolation` event, no "Refused to …" console message)."""

import pytest

from tests.browser.test_figures import login
from tests.conftest import make_user

pytestmark = pytest.mark.browser

# Runs before any page script (and is not itself subject to the policy).
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' +
                    (e.sourceFile || '') + ':' + e.lineNumber + ' ' + (e.sample || ''));
});
"""

PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/ke-hoach/dak-nong/"),
    ("anonymous", "/dang-nhap/"),
    ("anonymous", "/tim-kiem/?q=h%E1%BB%A3p+t%C3%A1c"),
    ("staff", "/"),
    ("staff", "/ke-hoach/dak-nong/"),
    ("staff", "/ke-hoach/dak-nong/so-lieu/2025/"),
    ("staff", "/nhiem-vu/"),
    ("staff", "/nhiem-vu/ke-hoach/dak-nong/"),
    ("staff", "/nhiem-vu/ke-hoach/dak-nong/tinh-hinh-bao-cao/2025/"),
    ("staff", "/bao-cao/"),
    ("staff", "/bao-cao/dak-nong/2025/"),
    ("staff", "/bao-cao/dak-nong/2025/xem/"),
    ("staff", "/doi-mat-khau/"),
    ("leader", "/"),
    ("agency", "/nhiem-vu/cua-toi/"),
    ("admin", "/admin/"),
    ("admin", "/admin/plans/plan/"),
    ("admin", "/admin/accounts/user/add/"),
]


def new_page(browser, messages):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    page.on("console", lambda m: messages.append(m.text))
    return context, page


def violations(page, messages) -> list[str]:
    found = page.evaluate("() => window.__csp")
    found += [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
    messages.clear()
    return found


@pytest.fixture
def users(portal):
    from plans.models import Agency, Plan

    make_user("csp-staff", "plan_staff", plans=[Plan.objects.get(slug="dak-nong")])
    make_user("csp-leader", "leadership")
    make_user(
        "csp-agency",
        "agency",
        agency=Agency.objects.get(locality__code="dak-nong", name="Liên minh Hợp tác xã tỉnh"),
    )
    make_user("csp-admin", "admin", is_staff=True, is_superuser=True)


def test_main_pages_raise_no_csp_violation(browser, portal, users):
    sessions = {}
    found = {}
    for role, path in PAGES:
        if role not in sessions:
            messages = []
            context, page = new_page(browser, messages)
            if role != "anonymous":
                login(page, portal, f"csp-{role}")
            violations(page, messages)
            sessions[role] = (context, page, messages)
        _context, page, messages = sessions[role]
        response = page.goto(portal.url + path)
        assert response.status == 200, (path, response.status)
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
        if problems := violations(page, messages):
            found[f"{role} {path}"] = problems
    for context, _page, _messages in sessions.values():
        context.close()
    assert not found, found


def test_the_watch_catches_a_violation(browser, portal):
    """The check is not vacuous: an inline style attribute is reported."""
    messages = []
    context, page = new_page(browser, messages)
    page.goto(portal.url + "/")
    page.evaluate(
        "() => document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')"
    )
    page.wait_for_function("() => window.__csp.length > 0")
    assert any("style-src" in v for v in violations(page, messages))
    context.close()


def test_progress_bars_keep_their_width_without_style_attributes(browser, portal, users):
    """The w-N classes size the bars: a bar's fill is N % of its track (without its class a
    fill would span the whole track)."""
    messages = []
    context, page = new_page(browser, messages)
    login(page, portal, "csp-leader")
    page.goto(portal.url + "/")
    bars = page.eval_on_selector_all(
        ".progress .bar span",
        """spans => spans.map(s => [s.className,
            s.getBoundingClientRect().width / s.parentElement.clientWidth])""",
    )
    assert bars
    for class_name, ratio in bars:
        assert class_name.startswith("w-")
        assert abs(ratio - int(class_name[2:]) / 100) < 0.02, (class_name, ratio)
    assert violations(page, messages) == []
    context.close()
