"""The load test's quick parts (scripts/loadtest runs the real thing, outside `make test`):
its routes resolve, it recognises a stale refusal, reads forms as a browser submits them,
and compares the users' writes with the history."""

import csv
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from simple_history.utils import update_change_reason

from portal import loadtest
from portal.loadtest import FIGURE, SAVED, STALE, TASK_REPORT, WriteLog, writes_compare
from tests import factories as f


@pytest.mark.parametrize(("name", "args"), loadtest.ROUTES)
def test_the_routes_the_users_request_resolve(name, args):
    assert reverse(name, args=args).startswith("/")


def test_the_stale_marker_begins_both_stale_refusals():
    """The users tell a refused stale save by the start of its Vietnamese message."""
    lines = (settings.BASE_DIR / "locale" / "vi.tsv").read_text(encoding="utf-8").splitlines()
    refusals = [
        line.split("\t")[1]
        for line in lines
        if line.startswith("Nothing was saved: someone else saved")
    ]
    assert len(refusals) == 2
    assert all(text.startswith(loadtest.STALE_MARKER) for text in refusals)


def test_form_fields_are_what_a_browser_submits():
    html = """
    <form method="post" action="/dang-xuat/"><input type="hidden" name="csrfmiddlewaretoken"
      value="a"></form>
    <form method="get"><input name="q" value="x"><input name="version" value="9"></form>
    <form method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="b">
      <input type="hidden" name="version" value="3">
      <input type="text" name="v_htx_count" value="14.000">
      <input type="text" name="v_empty">
      <input type="checkbox" name="confirm_warnings">
      <input type="checkbox" name="ticked" checked>
      <input type="file" name="file"><button type="submit" name="save">Lưu</button>
      <select name="s_htx_count"><option value="estimated">a</option>
        <option value="official" selected>b</option></select>
      <select name="progress"><option value="not_started">c</option></select>
      <textarea name="done">Đã làm &amp; xong</textarea>
    </form>"""
    assert loadtest.form_fields(html, "version") == {
        "csrfmiddlewaretoken": "b",
        "version": "3",
        "v_htx_count": "14.000",
        "v_empty": "",
        "ticked": "on",
        "s_htx_count": "official",
        "progress": "not_started",
        "done": "Đã làm & xong",
    }
    assert loadtest.form_fields(html, "nothing") is None
    assert loadtest.links('<a href="/nhiem-vu/3/">x</a><a href="/x/#m">', r"/nhiem-vu/\d+/") == [
        "/nhiem-vu/3/"
    ]


def _entry(kind, token, outcome):
    return {"kind": kind, "token": token, "outcome": outcome, "url": "/"}


def test_writes_compare_finds_every_kind_of_mismatch():
    entries = [
        _entry(FIGURE, "a", SAVED),
        _entry(FIGURE, "b", SAVED),
        _entry(FIGURE, "c", STALE),
        _entry(TASK_REPORT, "d", SAVED),
        _entry(TASK_REPORT, "e", SAVED),
        _entry(TASK_REPORT, "f", STALE),
    ]
    found = {FIGURE: ["a", "a", "b"], TASK_REPORT: ["d", "d", "f", "g"]}
    checks = writes_compare(entries, found)
    figures, reports = checks[FIGURE], checks[TASK_REPORT]
    # A figure save after a stale refusal may write several figures: one token, two rows.
    assert figures.ok and (figures.saved, figures.stale, figures.in_database) == (2, 1, 2)
    assert not reports.ok
    assert reports.missing == ["e"]
    assert reports.stale_written == ["f"]
    assert reports.unexpected == ["g"]
    assert reports.duplicated == ["d"]


def _stats(path, rows):
    columns = ["Type", "Name", "Request Count", "Failure Count", "50%", "95%"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)


def test_stats_table(tmp_path):
    _stats(tmp_path / "s.csv", [["GET", "home", 10, 0, 33, 100], ["", "Aggregated", 10, 0, 33, 95]])
    rows = loadtest.stats_read(tmp_path / "s.csv")
    assert [r.name for r in rows] == ["GET home", "total"]
    table = loadtest.stats_table(rows).splitlines()
    assert table[0].split() == ["page", "requests", "failures", "p50", "ms", "p95", "ms"]
    assert table[1].split() == ["GET", "home", "10", "0", "33", "100"]


@pytest.mark.django_db
def test_loadtest_report_finds_the_writes_in_the_history(tmp_path, capsys):
    """Every save the users counted is a history row carrying its token; a refused one is
    not; a failed request fails the report."""
    report = f.TaskReportFactory(done="Đã làm.\nloadtest lt0123456789ab")
    figure = f.FigureFactory()
    update_change_reason(figure, "loadtest ltba9876543210")
    log = WriteLog(tmp_path / "writes.jsonl")
    log.add(kind=TASK_REPORT, token="lt0123456789ab", outcome=SAVED, url="/")
    log.add(kind=FIGURE, token="ltba9876543210", outcome=SAVED, url="/")
    log.add(kind=FIGURE, token="ltffffffffffff", outcome=STALE, url="/")
    stats = tmp_path / "stats.csv"
    _stats(stats, [["POST", "figure_entry (POST)", 2, 0, 50, 90], ["", "Aggregated", 2, 0, 50, 90]])
    call_command("loadtest_report", stats=stats, writes=log.path)
    out = capsys.readouterr().out
    assert "writes: 2 counted by client, 2 in database" in out
    assert report.history.count() == 1

    log.add(kind=TASK_REPORT, token="lt000000000000", outcome=SAVED, url="/")
    with pytest.raises(CommandError, match="1 counted as saved, not in the database"):
        call_command("loadtest_report", stats=stats, writes=log.path)
    _stats(stats, [["", "Aggregated", 2, 1, 50, 90]])
    (tmp_path / "writes.jsonl").write_text(
        json.dumps(_entry(FIGURE, "ltba9876543210", SAVED)) + "\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="1 failed requests"):
        call_command("loadtest_report", stats=stats, writes=log.path)
