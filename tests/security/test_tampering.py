"""Tampered requests get a clear answer (400, 403, 404 or the form again with its errors),
never a 500, and change nothing.

Every URL of the portal (the list comes from the URL conf: a new URL without a case here
fails ``test_every_url_has_a_case``) is requested as each role with hostile values in
every query parameter it reads, and posted with hostile values in every field of its form
(each field in turn, the others as the page filled them, then all at once). The database
is fingerprinted (row counts of every table of the portal's apps, history included, and the
users' passwords) before and after each batch.
"""

import hashlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from plans.models import Agency
from targets.models import Target
from tasks.models import Task, TaskEvidence, TaskReport
from tests.conftest import make_user
from tests.factories import plan_place_url

pytestmark = pytest.mark.django_db
YEAR = 2025
ROLES = ["anonymous", "agency", "plan_staff", "leadership", "admin"]

# Values that are wrong for every kind of field: a NUL character (refused in any text),
# text far beyond any column, numbers in the wrong shape or beyond any bound.
WRONG_FOR_ANY_FIELD = ["\x00", "1\x00", "x" * 200_000]
WRONG_FOR_TYPED_FIELDS = ["abc", "-1", "1e30", "9" * 30, "NaN", "[]", "2025-13-45"]
QUERY_JUNK = ["abc", "-1", "99999999999999999999", "\x00", "1e30", "'\"><script>", ""]
GENERIC_PARAMS = [
    "page",
    "sort",
    "per_page",
    "_export",
    "year",
    "format",
    "plan",
    "q",
    "status",
    "next",
    "section",
    "role",
    "deadline_year",
]
EXTRA_POST_FIELDS = [
    "decision",
    "move",
    "task",
    "section",
    "mode",
    "confirm",
    "create_agencies",
    "submit",
    "save",
    "finalise",
    "version",
]
# URLs whose GET renders a PDF: one hostile request instead of seven.
EXPENSIVE = {"reports:report_download", "reports:consolidated", "reports:agency_report"}


def url_names() -> set[str]:
    """Every named URL of the portal except Django's admin (tested below by its lists)."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = pattern.namespace or ""
                prefix = ":".join(p for p in (namespace, inner) if p)
                yield from walk(pattern.url_patterns, prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


@pytest.fixture
def world(settings, tmp_path, dak_nong, plan_staff, agency_user, leader, admin_user):
    """The seeded plans, a submitted task report with an evidence file, and one user per
    role; returns the URL of every named URL with real arguments."""
    settings.MEDIA_ROOT = str(tmp_path)
    skhdt = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    skhdt_user = make_user("skhdt-t", "agency", agency=skhdt)
    task = Task.objects.get(plan=dak_nong, section__number="II", number="2")
    report = TaskReport.objects.create(
        task=task, year=YEAR, agency=skhdt, role="lead", done="Đã làm.", state="submitted"
    )
    evidence = TaskEvidence(
        report=report, name="a.pdf", content_type="application/pdf", size=9, uploaded_by=None
    )
    evidence.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    target = Target.objects.filter(plan=dak_nong).first()
    urls = {
        "home": reverse("home"),
        "login": reverse("login"),
        "landing": reverse("landing"),
        "search": reverse("search"),
        "favicon": reverse("favicon"),
        "logout": reverse("logout"),
        "password_change": reverse("password_change"),
        "password_change_done": reverse("password_change_done"),
        "plan_detail": dak_nong.get_absolute_url(),
        "plan_create": reverse("plan_create"),
        "plan_edit": reverse("plan_edit", args=["dak-nong"]),
        "targets:figure_current": reverse("targets:figure_current", args=["dak-nong"]),
        "targets:figure_entry": plan_place_url("targets:figure_entry", "dak-nong", 2024),
        "targets:figure_template": plan_place_url("targets:figure_template", "dak-nong", 2024),
        "targets:figure_upload": plan_place_url("targets:figure_upload", "dak-nong", 2024),
        "targets:plan_figures": reverse("targets:plan_figures", args=["dak-nong", YEAR]),
        "targets:figure_entry_part": plan_place_url("targets:figure_entry", "dak-nong", 2025),
        "targets:figure_template_part": plan_place_url("targets:figure_template", "dak-nong", 2025),
        "targets:figure_upload_part": plan_place_url("targets:figure_upload", "dak-nong", 2025),
        "targets:target_add": reverse("targets:target_add", args=["dak-nong"]),
        "targets:target_edit": reverse("targets:target_edit", args=["dak-nong", target.pk]),
        "tasks:task_list": reverse("tasks:task_list"),
        "tasks:my_tasks": reverse("tasks:my_tasks"),
        "tasks:review_queue": reverse("tasks:review_queue"),
        "tasks:task_detail": reverse("tasks:task_detail", args=[task.pk]),
        "tasks:report_edit": reverse("tasks:report_edit", args=[task.pk, YEAR + 1]),
        "tasks:report_review": reverse("tasks:report_review", args=[report.pk]),
        "tasks:evidence_download": reverse("tasks:evidence_download", args=[evidence.pk]),
        "tasks:completeness": reverse("tasks:completeness", args=["dak-nong", YEAR]),
        "tasks:task_manage": reverse("tasks:task_manage", args=["dak-nong"]),
        "tasks:task_add": reverse("tasks:task_add", args=["dak-nong"]),
        "tasks:task_edit": reverse("tasks:task_edit", args=["dak-nong", task.pk]),
        "tasks:task_import": reverse("tasks:task_import", args=["dak-nong"]),
        "tasks:section_add": reverse("tasks:section_add", args=["dak-nong"]),
        "tasks:section_edit": reverse("tasks:section_edit", args=["dak-nong", task.section_id]),
        "reports:report_index": reverse("reports:report_index"),
        "reports:consolidated_form": reverse("reports:consolidated_form"),
        "reports:consolidated": reverse("reports:consolidated", args=[YEAR, "pdf"]),
        "reports:report_edit": reverse("reports:report_edit", args=["dak-nong", YEAR]),
        "reports:report_preview": reverse("reports:report_preview", args=["dak-nong", YEAR]),
        "reports:report_reopen": reverse("reports:report_reopen", args=["dak-nong", YEAR]),
        "reports:report_download": reverse(
            "reports:report_download", args=["dak-nong", YEAR, "pdf"]
        ),
        "reports:agency_report": reverse(
            "reports:agency_report", args=["dak-nong", YEAR, skhdt_user.agency_id, "docx"]
        ),
    }
    users = {
        "anonymous": None,
        "agency": skhdt_user,
        "plan_staff": plan_staff,
        "leadership": leader,
        "admin": admin_user,
    }
    return {"urls": urls, "users": users}


COMPUTED_COPIES = (
    "reports.BuiltReportFile",
    "tasks.CompletenessSummary",
    "targets.ProgressSummary",
)


def fingerprint() -> str:
    """Row counts of every table of the portal's apps (history tables included) and the
    users' password hashes: any save, delete or history entry changes it. Copies computed
    from the data are left out: a download queues a built report file, the home page stores
    the plans' reporting rates and targets' progress."""
    parts = []
    for label in ("accounts", "plans", "targets", "tasks", "reports"):
        for model in apps.get_app_config(label).get_models():
            if model._meta.label in COMPUTED_COPIES:
                continue
            parts.append(f"{model._meta.label}={model._default_manager.count()}")
    parts.append(str(sorted(User.objects.values_list("username", "password"))))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def form_fields(response) -> dict[str, object]:
    """The page's form fields and the values it would post (empty if no form)."""
    context = getattr(response, "context", None)
    form = context.get("form") if context else None
    if form is None:
        return {}
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, bool):
            value = "on" if value else ""
        elif isinstance(value, list | tuple):
            value = [str(v) for v in value]
        data[name] = (field, "" if value is None else value)
    return data


def junk_for(field) -> list[str]:
    from django import forms

    if isinstance(field, forms.BooleanField | forms.FileField):
        return []  # any value is a valid box; a string is "no file"
    if isinstance(field, forms.CharField) and not isinstance(field, forms.ModelChoiceField):
        return WRONG_FOR_ANY_FIELD
    return WRONG_FOR_ANY_FIELD + WRONG_FOR_TYPED_FIELDS


class Recorder:
    def __init__(self):
        self.requests = 0
        self.failures = []

    def check(self, response, what):
        self.requests += 1
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {what}")


@pytest.mark.parametrize("role", ROLES)
def test_hostile_requests_never_500_and_change_nothing(client, world, role):
    client.raise_request_exception = False
    recorder = Recorder()
    changed = []
    for name, url in world["urls"].items():
        if name == "logout":
            continue  # signing out is what it is for; tested with a GET below
        user = world["users"][role]
        if user is not None:
            client.force_login(user)
        before = fingerprint()
        page = client.get(url)
        recorder.check(page, f"GET {name}")
        params = list(GENERIC_PARAMS)
        context = getattr(page, "context", None)
        if context and context.get("filter") is not None:
            params += list(context["filter"].form.fields)
        for junk in QUERY_JUNK[:1] if name in EXPENSIVE else QUERY_JUNK:
            query = {p: junk for p in params}
            recorder.check(client.get(url, query), f"GET {name} ?…={junk[:10]!r}")
        recorder.check(client.get(url, {"page": ["1", "x"], "year": ["", "2"]}), f"GET {name} list")

        fields = form_fields(page)
        if page.status_code == 200 and fields:
            base = {n: v for n, (_f, v) in fields.items()}
            for field_name, (field, _value) in fields.items():
                for junk in junk_for(field):
                    data = {**base, field_name: junk}
                    response = client.post(url, data)
                    recorder.check(response, f"POST {name} {field_name}={junk[:10]!r}")
        for junk in WRONG_FOR_ANY_FIELD + WRONG_FOR_TYPED_FIELDS:
            data = {n: junk for n in [*fields, *EXTRA_POST_FIELDS]}
            recorder.check(client.post(url, data), f"POST {name} all={junk[:10]!r}")
        lists = {n: ["1", "\x00"] for n in [*fields, "version"]}
        recorder.check(client.post(url, lists), f"POST {name} lists")
        if fingerprint() != before:
            changed.append(name)
    client.get(world["urls"]["logout"])
    print(f"\n{role}: {recorder.requests} hostile requests")
    assert not recorder.failures, recorder.failures
    assert not changed, f"{role} changed the database through {changed}"


def test_every_url_has_a_case(world):
    """A new URL must be added to the fixture above (and so to this suite)."""
    assert url_names() == set(world["urls"])


@pytest.mark.parametrize(
    "model", ["targets/figure", "tasks/taskreport", "reports/annualreport", "plans/planyear"]
)
def test_hostile_admin_list_filters_never_500(client, admin_user, model):
    client.raise_request_exception = False
    client.force_login(admin_user)
    app, name = model.split("/")
    url = reverse(f"admin:{app}_{name}_changelist")
    for junk in QUERY_JUNK:
        for params in (
            {"year": junk, "plan__id__exact": junk, "p": junk, "o": junk, "q": junk},
            {"year__exact": junk, "status__exact": junk, "e": junk},
        ):
            assert client.get(url, params).status_code < 500


def test_a_tampered_hidden_field_is_a_400_with_a_vietnamese_message(client, plan_staff):
    from tests.targets.test_views import entry_url, form_data

    client.force_login(plan_staff)
    data = form_data(client.get(entry_url()), htx_count="300")
    data["seen_htx_count"] = "not-a-number"
    response = client.post(entry_url(), data)
    assert response.status_code == 400
    assert "Các trường ẩn của biểu mẫu đã bị sửa đổi" in response.content.decode()
    from targets.models import Figure

    assert not Figure.objects.exists()


@pytest.mark.parametrize("query", [{"year": "2025", "format": "exe/.."}, {"year": "x"}])
def test_an_unknown_report_format_or_year_is_a_400(client, leader, query):
    client.force_login(leader)
    response = client.get(reverse("reports:consolidated_form"), query)
    assert response.status_code == 400
    assert "Không thể xử lý yêu cầu" in response.content.decode()


@pytest.mark.parametrize("url", ["/dang-nhap/", "/admin/login/"])
def test_an_overlong_username_at_sign_in_is_a_form_error(client, url):
    """Django's sign-in form bounds the username only in the widget; django-axes then
    stored the failed attempt in a 255-character column (a 500 on PostgreSQL)."""
    client.raise_request_exception = False
    response = client.post(url, {"username": "x" * 200_000, "password": "y" * 200_000})
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("url", ["/", "/nhiem-vu/", "/nhiem-vu/cua-toi/"])
@pytest.mark.parametrize("per_page", ["-1", "0", "100000", "x"])
def test_an_impossible_page_size_is_a_400(client, url, per_page):
    skhdt = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    client.force_login(make_user("skhdt-p", "agency", agency=skhdt))
    for query in ({"per_page": per_page}, {"per_page": per_page, "_export": "xlsx"}):
        assert client.get(url, query).status_code == 400


def test_a_stale_save_with_a_huge_seen_value_is_a_400(client, plan_staff):
    from tests.targets.test_views import entry_url, form_data

    client.force_login(plan_staff)
    data = form_data(client.get(entry_url()), htx_count="300")
    for seen in ("sNaN", "Infinity", "1E+999999"):
        response = client.post(entry_url(), {**data, "version": "7", "seen_htx_count": seen})
        assert response.status_code == 400


@pytest.mark.parametrize("version", [1.5, "abc", -1])
def test_a_changed_hidden_sheet_in_a_workbook_is_refused(client, plan_staff, version):
    import io

    from targets.models import Figure
    from tests.targets.test_excel import download, upload

    client.force_login(plan_staff)
    wb = download(client)
    wb["_meta"]["B3"] = version
    wb["Số liệu"]["F6"] = 300
    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(client, buffer.getvalue())
    assert response.status_code == 200
    assert "Trang ẩn của tệp mẫu đã bị sửa" in response.content.decode()
    assert not Figure.objects.exists()
