"""The load test's plain pieces (``scripts/loadtest``, README "Load test"): reading a page's
form as a browser would submit it, the log of the writes the simulated users made, the
comparison of that log with the database, and the table of timings.

The simulated users (``scripts/locustfile.py``) run in locust's process, without Django:
nothing here imports Django, so that process and the tests can load it.
``manage.py loadtest_report`` does the database side.
"""

import csv
import json
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

# The beginning of the Vietnamese messages of a refused stale save, figures and task
# reports alike ("Nothing was saved: someone else saved … after you opened the page").
STALE_MARKER = "Chưa lưu gì: người khác đã lưu"
# What the users write carries a token, so that each write can be found in the history:
# the reason of a figure save, the end of a task report's text.
TOKEN_PREFIX = "loadtest "
TOKEN_RE = re.compile(r"loadtest (lt[0-9a-f]{12})")

FIGURE, TASK_REPORT = "figure", "task_report"
SAVED, STALE = "saved", "stale"

# The routes the simulated users request (URL name, arguments for a sample), so a test can
# check they still resolve; the users find the real arguments in the pages' links.
ROUTES = [
    ("home", []),
    ("plan_detail", ["dak-nong"]),
    ("search", []),
    ("landing", []),
    ("login", []),
    ("tasks:task_list", []),
    ("tasks:my_tasks", []),
    ("tasks:review_queue", []),
    ("tasks:task_detail", [1]),
    ("tasks:report_edit", [1, 2025]),
    ("tasks:completeness", ["dak-nong", 2025]),
    ("targets:figure_current", ["dak-nong"]),
    ("targets:figure_entry", ["dak-nong", 2024]),
    ("targets:figure_entry_part", ["lam-dong", 2025, "dak-nong"]),
    ("targets:figure_template", ["dak-nong", 2024]),
    ("targets:figure_template_part", ["lam-dong", 2025, "dak-nong"]),
    ("reports:report_index", []),
    ("reports:report_preview", ["dak-nong", 2025]),
    ("reports:report_download", ["dak-nong", 2025, "pdf"]),
    ("reports:agency_report", ["dak-nong", 2025, 1, "pdf"]),
]


def new_token() -> str:
    return "lt" + secrets.token_hex(6)


class _FormParser(HTMLParser):
    """The fields of each POST form, as a browser submits them without a click."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = {} if attrs.get("method", "").lower() == "post" else None
            return
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._form[name] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs and not self._select_chosen:
                self._form[self._select], self._select_chosen = value, True
        elif tag == "textarea" and name:
            self._textarea = name
            self._form[name] = ""

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._form[self._select] = self._select_first
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data


def form_fields(html: str, having: str) -> dict[str, str] | None:
    """The fields of the page's first POST form that has a field named ``having``."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return next((form for form in parser.forms if having in form), None)


def links(html: str, pattern: str) -> list[str]:
    """The page's distinct link targets matching ``pattern`` (a regular expression)."""
    found = re.findall(r'href="([^"#]+)"', html)
    return sorted({link for link in found if re.fullmatch(pattern, link)})


@dataclass
class WriteLog:
    """What the simulated users wrote: one JSON line per save they attempted (kind, token,
    outcome: saved or stale)."""

    path: Path

    def add(self, *, kind: str, token: str, outcome: str, url: str) -> None:
        line = json.dumps({"kind": kind, "token": token, "outcome": outcome, "url": url})
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    def read(self) -> list[dict]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]


@dataclass
class WriteCheck:
    """The client's writes of one kind compared with the tokens found in the history."""

    kind: str
    saved: int = 0
    stale: int = 0
    in_database: int = 0
    missing: list[str] = field(default_factory=list)  # counted as saved, not in the database
    stale_written: list[str] = field(default_factory=list)  # refused, yet in the database
    unexpected: list[str] = field(default_factory=list)  # in the database, never counted
    duplicated: list[str] = field(default_factory=list)  # one save, several history rows

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale_written or self.unexpected or self.duplicated)


def writes_compare(entries: list[dict], found: dict[str, list[str]]) -> dict[str, WriteCheck]:
    """Compare the write log's entries with ``found``: kind → the tokens of the history
    rows the load test wrote (one per row). A task report's save is one history row; a
    figure save one row per figure it changed (a second submit after a stale refusal
    writes back every value the user was shown)."""
    checks = {}
    for kind in (FIGURE, TASK_REPORT):
        saved = {e["token"] for e in entries if e["kind"] == kind and e["outcome"] == SAVED}
        stale = {e["token"] for e in entries if e["kind"] == kind and e["outcome"] == STALE}
        rows = Counter(found.get(kind, []))
        tokens = set(rows)
        checks[kind] = WriteCheck(
            kind=kind,
            saved=len(saved),
            stale=len(stale),
            in_database=len(tokens & saved),
            missing=sorted(saved - tokens),
            stale_written=sorted(stale & tokens),
            unexpected=sorted(tokens - saved - stale),
            duplicated=sorted(t for t, n in rows.items() if n > 1) if kind == TASK_REPORT else [],
        )
    return checks


@dataclass(frozen=True)
class PageStats:
    name: str
    requests: int
    failures: int
    p50: float
    p95: float


def stats_read(path: Path) -> list[PageStats]:
    """Locust's ``*_stats.csv``: one row per request name, then "Aggregated"."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            PageStats(
                name=(row["Type"] + " " + row["Name"]).strip()
                if row["Name"] != "Aggregated"
                else "total",
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                p50=float(row["50%"] or 0),
                p95=float(row["95%"] or 0),
            )
            for row in csv.DictReader(handle)
        ]


def stats_table(rows: list[PageStats]) -> str:
    """A plain-text table: page, requests, failures, p50 and p95 in milliseconds."""
    width = max([len(r.name) for r in rows] + [4])
    lines = [f"{'page':<{width}}  {'requests':>8}  {'failures':>8}  {'p50 ms':>7}  {'p95 ms':>7}"]
    for r in rows:
        lines.append(
            f"{r.name:<{width}}  {r.requests:>8}  {r.failures:>8}  {r.p50:>7.0f}  {r.p95:>7.0f}"
        )
    return "\n".join(lines)
