"""The simulated users of the load test (``scripts/loadtest``, README "Load test").

Four kinds, each signed in once with the demo accounts (password ``LOADTEST_PASSWORD``):
visitors (anonymous: home, plans, search), leadership (landing, task lists with filters,
reporting completeness, the report index and previews, report downloads, list exports),
plan staff (their plan, the figure entry page: open, change a value, save with the form's
version; the Excel template; the review queue) and agency users (their tasks, a task's
page, their yearly report on a task: open, change the text, save the draft).

A refused stale save (someone saved in between) is an expected outcome: it is counted
apart and the user saves again from the refreshed form, as the page asks. Each save's
token and outcome go to the write log (``LOADTEST_WRITES``) for ``manage.py
loadtest_report``. A download answered 202 (a report still being built by the worker) is
polled at the same address until it comes. Anything else than the expected answer (5xx,
an unexpected 4xx or redirect, a form error, a timeout) is a failure.
"""

import os
import random
import re
import time
from pathlib import Path

from locust import HttpUser, between, events, task

from portal.loadtest import (
    FIGURE,
    SAVED,
    STALE,
    STALE_MARKER,
    TASK_REPORT,
    TOKEN_PREFIX,
    WriteLog,
    form_fields,
    links,
    new_token,
)

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "")
WRITES = WriteLog(Path(os.environ.get("LOADTEST_WRITES", "var/loadtest/writes.jsonl")))
TIMEOUT = float(os.environ.get("LOADTEST_TIMEOUT", "60"))
POLL_SECONDS = float(os.environ.get("LOADTEST_POLL_SECONDS", "120"))
PLANS = ["dak-nong", "binh-phuoc", "yen-bai", "go-cong-tay", "kon-tum"]
STAFF = {
    "canbo.daknong": "dak-nong",
    "canbo.binhphuoc": "binh-phuoc",
    "canbo.yenbai": "yen-bai",
    "canbo.gocongtay": "go-cong-tay",
    "canbo.kontum": "kon-tum",
}
AGENCIES = ["skhdt.daknong", "lmhtx.daknong"]
# Figures the users raise by a little, the first one with a value: member counts, which no
# consistency rule bounds from above, else a count of organisations whose members are not
# entered (members may not be fewer than organisations).
CHANGED_FIGURES = [
    ("htx_members", None),
    ("tht_members", None),
    ("htx_count", "htx_members"),
    ("tht_count", "tht_members"),
]
SEARCHES = ["hop tac xa", "dak nong", "liên minh", "chuỗi giá trị"]
TASK_FILTERS = [
    {},
    {"status": "overdue"},
    {"status": "open", "plan": "1"},
    {"section": "II"},
    {"q": "hợp tác xã"},
    {"sort": "deadline_text"},
]


@events.init_command_line_parser.add_listener
def _check_password(parser):
    if not PASSWORD:
        raise SystemExit("LOADTEST_PASSWORD is not set: run the load test with scripts/loadtest")


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 5)
    username = ""

    def on_start(self):
        if self.username:
            self.sign_in()

    # -- requests ------------------------------------------------------------------------

    def page(self, url, name, *, expect=(200,), **kwargs):
        """GET a page; any other status than ``expect`` is a failure. Returns the response
        (``None`` on failure)."""
        with self.client.get(
            url, name=name, timeout=TIMEOUT, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code not in expect:
                response.failure(f"HTTP {response.status_code} for {url}")
                return None
            return response

    def download(self, url, name):
        """GET a file; a 202 (being built) is polled at the same address until the file
        comes, for at most ``POLL_SECONDS``."""
        started = time.monotonic()
        while True:
            with self.client.get(
                url, name=name, timeout=TIMEOUT, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code == 200 and "text/html" not in response.headers.get(
                    "Content-Type", ""
                ):
                    return
                if response.status_code != 202:
                    response.failure(f"HTTP {response.status_code} for {url}")
                    return
                if time.monotonic() - started > POLL_SECONDS:
                    response.failure(f"still 202 after {POLL_SECONDS:.0f} s: {url}")
                    return
            time.sleep(2)

    def post(self, url, data, name):
        return self.client.post(
            url,
            data=data,
            name=name,
            timeout=TIMEOUT,
            allow_redirects=False,
            catch_response=True,
            headers={"Referer": self.host + url},
        )

    def sign_in(self):
        response = self.page("/dang-nhap/", "login")
        if response is None:
            return
        fields = form_fields(response.text, "username") or {}
        fields.update(username=self.username, password=PASSWORD)
        with self.post("/dang-nhap/", fields, "login (POST)") as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in of {self.username} refused ({answer.status_code})")

    def save(self, url, fields, *, kind, name, token):
        """POST a form; a redirect is a save, the stale message a refusal (logged as such
        and returned as the refreshed page), anything else a failure."""
        with self.post(url, fields, name) as response:
            if response.status_code == 302:
                WRITES.add(kind=kind, token=token, outcome=SAVED, url=url)
                return None
            if response.status_code == 200 and STALE_MARKER in response.text:
                WRITES.add(kind=kind, token=token, outcome=STALE, url=url)
                return response.text
            errors = re.findall(r'class="errorlist[^"]*"[^>]*>\s*<li>([^<]+)', response.text)
            response.failure(f"HTTP {response.status_code}, {errors[:2] or 'no save'}: {url}")
            return None

    # -- pages every signed-in user opens ----------------------------------------------------

    def task_list(self):
        params = random.choice(TASK_FILTERS)
        self.page("/nhiem-vu/", "task_list", params=params)


class Visitor(PortalUser):
    """Anonymous: the home page, a plan, a search."""

    weight = 3

    @task(3)
    def home(self):
        self.page("/", "home")

    @task(3)
    def plan(self):
        self.page(f"/ke-hoach/{random.choice(PLANS)}/", "plan_detail")

    @task(2)
    def search(self):
        self.page("/tim-kiem/", "search", params={"q": random.choice(SEARCHES)})


class Leader(PortalUser):
    """Leadership: reads everything, downloads reports and lists."""

    weight = 1
    username = "lanhdao"

    def on_start(self):
        super().on_start()
        response = self.page("/bao-cao/", "report_index")
        html = response.text if response is not None else ""
        self.reports = links(html, r"/bao-cao/[\w-]+/\d{4}/bao-cao\.(pdf|xlsx|docx)")
        self.previews = links(html, r"/bao-cao/[\w-]+/\d{4}/xem/")

    @task(2)
    def landing(self):
        self.page("/trang-cua-toi/", "landing", expect=(200, 302))

    @task(1)
    def report_index(self):
        self.page("/bao-cao/", "report_index")

    @task(3)
    def tasks_page(self):
        self.task_list()

    @task(2)
    def completeness(self):
        slug, year = random.choice(PLANS), random.choice([2024, 2025, 2026])
        self.page(f"/nhiem-vu/ke-hoach/{slug}/tinh-hinh-bao-cao/{year}/", "completeness")

    @task(1)
    def preview(self):
        if self.previews:
            self.page(random.choice(self.previews), "report_preview")

    @task(1)
    def report_download(self):
        if self.reports:
            url = random.choice(self.reports)
            self.download(url, "report_download " + url.rsplit(".", 1)[1])

    @task(1)
    def task_export(self):
        self.download("/nhiem-vu/?_export=xlsx", "task_list xlsx")


class PlanStaff(PortalUser):
    """A plan's staff: their plan, its figures (open, change, save), the template."""

    weight = 2

    def on_start(self):
        self.username, self.plan = random.choice(list(STAFF.items()))
        super().on_start()
        response = self.page(f"/ke-hoach/{self.plan}/so-lieu/", "figure_current", expect=(302,))
        self.figure_pages = []
        if response is not None:
            first = self.page(response.headers["Location"], "figure_entry")
            if first is not None:
                self.figure_pages = links(first.text, r"/so-lieu/[\w-]+/\d{4}/(phan/[\w-]+/)?") or [
                    response.headers["Location"]
                ]

    @task(1)
    def landing(self):
        self.page("/trang-cua-toi/", "landing", expect=(200, 302))

    @task(2)
    def plan_page(self):
        self.page(f"/ke-hoach/{self.plan}/", "plan_detail")

    @task(1)
    def review_queue(self):
        self.page("/nhiem-vu/cho-duyet/", "review_queue")

    @task(1)
    def tasks_page(self):
        self.task_list()

    @task(1)
    def figure_template(self):
        if self.figure_pages:
            self.download(random.choice(self.figure_pages) + "mau.xlsx", "figure_template")

    @task(6)
    def figures(self):
        if not self.figure_pages:
            return
        url = random.choice(self.figure_pages)
        response = self.page(url, "figure_entry")
        if response is None:
            return
        html = response.text
        for _attempt in range(2):  # the first save, and once more after a stale refusal
            fields = form_fields(html, "version")
            if fields is None:  # read-only: the year is final
                return
            code = next(
                (
                    code
                    for code, bound in CHANGED_FIGURES
                    if re.fullmatch(r"[\d.]+", fields.get(f"v_{code}", ""))
                    and not (bound and fields.get(f"v_{bound}"))
                ),
                None,
            )
            if code is None:
                return
            token = new_token()
            value = int(fields[f"v_{code}"].replace(".", "")) + random.randint(1, 5)
            fields[f"v_{code}"] = str(value)
            fields[f"n_{code}"] = TOKEN_PREFIX + token
            fields["reason"] = TOKEN_PREFIX + token
            fields["confirm_warnings"] = "on"
            html = self.save(url, fields, kind=FIGURE, name="figure_entry (POST)", token=token)
            if html is None:
                self.page(url, "figure_entry")
                return


class AgencyUser(PortalUser):
    """An agency: its tasks, a task's page, its report on a task (open, write, save)."""

    weight = 2

    def on_start(self):
        self.username = random.choice(AGENCIES)
        super().on_start()
        response = self.page("/nhiem-vu/cua-toi/", "my_tasks")
        html = response.text if response is not None else ""
        self.report_forms = links(html, r"/nhiem-vu/\d+/bao-cao/\d{4}/")
        self.task_pages = links(html, r"/nhiem-vu/\d+/")
        self.agency_reports = links(html, r"/bao-cao/[\w-]+/\d{4}/don-vi/\d+\.(pdf|docx)")

    @task(2)
    def my_tasks(self):
        self.page("/nhiem-vu/cua-toi/", "my_tasks")

    @task(2)
    def task_detail(self):
        if self.task_pages:
            self.page(random.choice(self.task_pages), "task_detail")

    @task(1)
    def export(self):
        self.download("/nhiem-vu/cua-toi/?_export=xlsx", "my_tasks xlsx")

    @task(1)
    def agency_report(self):
        if self.agency_reports:
            url = random.choice(self.agency_reports)
            self.download(url, "agency_report " + url.rsplit(".", 1)[1])

    @task(4)
    def report(self):
        if not self.report_forms:
            return
        url = random.choice(self.report_forms)
        response = self.page(url, "report_edit")
        if response is None:
            return
        html = response.text
        for _attempt in range(2):
            fields = form_fields(html, "version")
            if fields is None or "done" not in fields:  # submitted: read-only
                return
            token = new_token()
            done = re.sub(r"\s*loadtest lt[0-9a-f]+$", "", fields["done"].strip())
            fields["done"] = f"{done}\n{TOKEN_PREFIX}{token}".strip()
            fields["save"] = ""
            fields.pop("submit", None)
            html = self.save(url, fields, kind=TASK_REPORT, name="report_edit (POST)", token=token)
            if html is None:
                self.page(url, "report_edit")
                return
