"""axe-core (from the npm registry, injected into the page) finds no serious or critical
violation on the main pages, for the roles that use them, at 1280 px and 360 px."""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.test_figures import login, shot
from tests.conftest import make_user

pytestmark = pytest.mark.browser
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def violations(page):
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is not installed: run `make test`, which installs it")
        pytest.skip("axe-core is not installed (make test installs it)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


WIDE_ELEMENTS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg')) continue;
    const r = el.getBoundingClientRect();
    if (r.right <= window.innerWidth + 1) continue;
    let scrolled = false;
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflowX === 'auto') { scrolled = true; break; }
    }
    if (!scrolled) out.push(el.tagName + '.' + el.className + ' → ' + Math.round(r.right));
  }
  return out.slice(0, 8);
}"""

PAGES = [
    ("anonymous", "/", "home"),
    ("anonymous", "/ke-hoach/dak-nong/", "plan"),
    ("staff", "/ke-hoach/dak-nong/so-lieu/2025/", "entry"),
    ("leader", "/nhiem-vu/", "task-list"),
    ("agency", "/nhiem-vu/cua-toi/", "my-tasks"),
    ("leader", "/bao-cao/", "reports"),
    ("leader", "/", "home-leadership"),
    ("staff", "/", "home-staff"),
    ("agency", "/", "home-agency"),
    ("staff", "/bao-cao/dak-nong/2025/", "report-form"),
    ("anonymous", "/tim-kiem/?q=h%E1%BB%A3p+t%C3%A1c", "search"),
    ("agency", "TASK_REPORT", "task-report-form"),  # the agency's first lead task, this year
]


@pytest.mark.parametrize("width", [1280, 360])
def test_main_pages_have_no_serious_accessibility_violation(browser, portal, width):
    from plans.models import Agency, Plan

    dak_nong = Plan.objects.get(slug="dak-nong")
    make_user("a11y-staff", "plan_staff", plans=[dak_nong])
    make_user("a11y-leader", "leadership")
    make_user(
        "a11y-agency",
        "agency",
        agency=Agency.objects.get(locality__code="dak-nong", name="Liên minh Hợp tác xã tỉnh"),
    )
    from django.urls import reverse
    from django.utils import timezone

    from tasks.models import Task

    lead_task = Task.objects.filter(
        plan=dak_nong,
        assignments__agency__name="Liên minh Hợp tác xã tỉnh",
        assignments__role="lead",
    ).first()
    task_report = reverse("tasks:report_edit", args=[lead_task.pk, timezone.localdate().year])
    contexts = {}
    found = {}
    for role, path, name in PAGES:
        path = task_report if path == "TASK_REPORT" else path
        if role not in contexts:
            # axe-core is injected as a script the Content-Security-Policy would refuse;
            # the policy itself is checked by test_csp.py.
            context = browser.new_context(
                locale="vi-VN", viewport={"width": width, "height": 900}, bypass_csp=True
            )
            page = context.new_page()
            if role != "anonymous":
                login(page, portal, f"a11y-{role}")
            contexts[role] = (context, page)
        page = contexts[role][1]
        response = page.goto(portal.url + path)
        assert response.status == 200, (path, response.status)
        problems = violations(page)
        shot(page, f"{name}-{width}")
        if problems:
            found[path] = problems
        if width == 360:
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            wide = page.evaluate(WIDE_ELEMENTS) if overflow > 1 else []
            assert overflow <= 1, f"{path} scrolls sideways at 360 px ({overflow} px): {wide}"
    for context, _page in contexts.values():
        context.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
