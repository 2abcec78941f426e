"""Search finds Vietnamese as people type it: without tone marks, without "đ", in any
case, on the search page and in the task list's text filter, on SQLite and PostgreSQL."""

import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.search import fold_vn
from plans.models import Agency
from tasks.models import Task
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hợp tác xã", "hop tac xa"),
        ("HỢP TÁC XÃ", "hop tac xa"),
        ("Đắk Nông", "dak nong"),
        (unicodedata.normalize("NFD", "Đắk Nông"), "dak nong"),
        ("Ưu tiên ứng dụng; ơ, ă, â, ê, ô", "uu tien ung dung; o, a, a, e, o"),
        ("127/KH-UBND", "127/kh-ubnd"),
    ],
)
def test_fold_vn_drops_marks_and_d_and_case(text, folded):
    """One rule folds text: no tone or vowel marks, đ → d, lower case, any normal form."""
    assert fold_vn(text) == folded


def test_the_database_folds_like_python():
    """kttt_fold in SQL (unaccent + lower on PostgreSQL, fold_vn on SQLite) agrees with
    fold_vn on every letter of Vietnamese."""
    letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    text = letters + letters.upper() + " " + unicodedata.normalize("NFD", letters)
    with connection.cursor() as cursor:
        cursor.execute("SELECT kttt_fold(%s)", [text])
        assert cursor.fetchone()[0] == fold_vn(text)


def search(client, q):
    return client.get(reverse("search"), {"q": q}).context["results"]


@pytest.mark.parametrize("q", ["hop tac xa", "HỢP TÁC XÃ", "Hop Tac Xa", "hợp tác xã"])
def test_search_page_finds_hop_tac_xa_typed_any_way(client, q):
    """Typed "hop tac xa" or "HỢP TÁC XÃ", the search finds the Liên minh Hợp tác xã and
    the tasks about hợp tác xã or assigned to an agency so named (the task list's rule)."""
    results = search(client, q)
    assert any(a.name == "Liên minh Hợp tác xã tỉnh" for a in results["agencies"])
    assert results["tasks"]
    assert all(
        "hop tac xa"
        in fold_vn(
            "\n".join([t.description, t.deliverable, t.note])
            + "\n".join(a.agency.name for a in t.assignments.all())
        )
        for t in results["tasks"]
    )


@pytest.mark.parametrize("q", ["dak nong", "DAK NONG", "Dak Nong", "Đắk Nông"])
def test_search_page_finds_dak_nong_without_marks(client, q):
    """Typed "dak nong", the search finds the plan of Đắk Nông (đ typed as d) and its agencies."""
    results = search(client, q)
    assert "dak-nong" in [p.slug for p in results["plans"]]
    assert results["agencies"]


def test_search_page_finds_a_target_without_marks(client):
    results = search(client, "nu giam doc")
    assert any("nữ giám đốc" in t.text for t in results["targets"])


def test_search_page_does_not_treat_percent_as_a_wildcard(client):
    """Wildcards typed in the box are text: "%" matches nothing the seed data holds."""
    results = search(client, "%%")
    assert not any(results.values())


def test_search_page_query_count_stays_constant(client):
    """More matching rows do not add queries to the search page."""

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("search"), {"q": "hop tac xa"}).status_code == 200
        return len(captured)

    before = queries()
    agency = Agency.objects.get(locality__code="dak-nong", name="Liên minh Hợp tác xã tỉnh")
    for _ in range(5):
        f.TaskFactory(description="Thành lập mới hợp tác xã nông nghiệp", leads=[agency])
        f.AgencyFactory(name="Hợp tác xã dịch vụ Đắk Nông")
    assert queries() == before


def listed(client, q):
    response = client.get(reverse("tasks:task_list"), {"q": q})
    assert response.status_code == 200
    return list(response.context["filter"].qs)


@pytest.mark.parametrize("q", ["hop tac xa", "HỢP TÁC XÃ", "hợp tác xã"])
def test_task_list_text_filter_finds_tasks_typed_without_marks(client, leader, q):
    client.force_login(leader)
    tasks = listed(client, q)
    expected = [
        t
        for t in Task.objects.filter(is_active=True).prefetch_related("assignments__agency")
        if "hop tac xa"
        in fold_vn(
            " ".join([t.description, t.deliverable, t.note])
            + " ".join(a.agency.name for a in t.assignments.all())
        )
    ]
    assert expected
    assert sorted(t.pk for t in tasks) == sorted(t.pk for t in expected)


def test_task_list_text_filter_finds_tasks_by_agency_without_marks(client, leader):
    """Typed "dak nong", the filter finds a task led by an agency of Đắk Nông that its
    text never names."""
    client.force_login(leader)
    agency = f.AgencyFactory(name="Sở Nông nghiệp tỉnh Đắk Nông")
    task = f.TaskFactory(description="Hỗ trợ chuỗi giá trị", deliverable="Báo cáo", leads=[agency])
    assert task in listed(client, "so nong nghiep tinh dak nong")
    assert task not in listed(client, "lam dong")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
def test_postgresql_serves_the_search_from_trigram_indexes():
    """The folded texts the search reads carry trigram GIN indexes, and a search can use
    them (a plan chooses them over a scan once the table is large; here the scan is
    switched off). Those no search reads any more are gone: they cost every write."""
    from targets.models import Target

    term = fold_vn("Hợp tác xã")
    for model, field, index in [
        (Task, "search_text", "tasks_task_search_text_trgm"),
        (Task, "agencies_text", "tasks_task_agencies_text_trgm"),
        (Agency, "search_text", "plans_agency_search_text_trgm"),
        (Target, "search_text", "targets_target_search_text_trgm"),
    ]:
        qs = model.objects.filter(**{f"{field}__contains": term}).order_by()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = qs.explain()
        assert index in plan, plan
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        "plans_locality_name_fold_trgm",
        "plans_plan_search_text_trgm",
        "plans_agency_search_text_trgm",
        "targets_target_search_text_trgm",
        "tasks_task_search_text_trgm",
        "tasks_task_agencies_text_trgm",
    }


def test_a_task_is_found_by_its_new_text_once_edited(client, leader):
    """The search reads the task's stored folded text (Task.search_text): every save
    keeps it, whichever fields the save names."""
    client.force_login(leader)
    task = f.TaskFactory(description="Hỗ trợ chuỗi giá trị", deliverable="Báo cáo")
    assert task not in listed(client, "nong san sach")
    task.note = "Ưu tiên nông sản sạch"
    task.save(update_fields=["note"])
    assert task in listed(client, "nong san sach")
    assert task in listed(client, "NÔNG SẢN SẠCH")


def test_the_migration_fills_the_search_text_of_existing_tasks():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("tasks.migrations.0008_task_search_text")
    task = f.TaskFactory(description="Thành lập mới Hợp tác xã", deliverable="Quyết định")
    Task.objects.filter(pk=task.pk).update(search_text="")
    migration.fill(apps, None)
    task.refresh_from_db()
    assert "thanh lap moi hop tac xa" in task.search_text and "quyet dinh" in task.search_text


def search_page(client, q) -> str:
    return client.get(reverse("search"), {"q": q}).content.decode()


def test_a_body_is_found_by_its_new_name_and_its_short_name(client, leader):
    """The search reads the body's stored folded name and short name
    (``Agency.search_text``): every save keeps it, and the task list finds the body's
    tasks by either."""
    agency = f.AgencyFactory(name="Sở Công Thương tỉnh Thử", short_name="SCT Thử")
    task = f.TaskFactory(description="Hỗ trợ xúc tiến", deliverable="Báo cáo", leads=[agency])
    assert "Sở Công Thương tỉnh Thử" in search_page(client, "so cong thuong tinh thu")
    assert "Sở Công Thương tỉnh Thử" in search_page(client, "SCT THU")
    agency.name = "Sở Khoa học và Công nghệ tỉnh Thử"
    agency.save(update_fields=["name"])
    assert "Sở Khoa học và Công nghệ tỉnh Thử" in search_page(client, "khoa hoc va cong nghe")
    assert "Sở Công Thương tỉnh Thử" not in search_page(client, "so cong thuong tinh thu")
    client.force_login(leader)
    assert task in listed(client, "khoa hoc va cong nghe tinh thu")
    assert task in listed(client, "sct thu")
    assert task not in listed(client, "so cong thuong tinh thu")
    # a search never matches across the name and the short name
    assert "Sở Khoa học" not in search_page(client, "tinh thu sct")


def test_a_target_is_found_by_its_new_text_once_edited(client):
    target = f.TargetFactory(text="Có 15 hợp tác xã kiểu mẫu")
    assert target.text in search_page(client, "hop tac xa kieu mau")
    target.text = "Có 20 liên hiệp hợp tác xã"
    target.save(update_fields=["text"])
    assert "Có 20 liên hiệp hợp tác xã" in search_page(client, "lien hiep hop tac xa")
    assert "kiểu mẫu" not in search_page(client, "hop tac xa kieu mau")


@pytest.mark.parametrize(
    ("module", "factory", "field", "expected"),
    [
        ("plans.migrations.0016_agency_search_text", "AgencyFactory", "name", "so thu\nsct"),
        ("targets.migrations.0010_target_search_text", "TargetFactory", "text", "so thu"),
    ],
)
def test_the_migrations_fill_the_search_text_of_existing_bodies_and_targets(
    module, factory, field, expected
):
    import importlib

    from django.apps import apps

    extra = {"short_name": "SCT"} if factory == "AgencyFactory" else {}
    row = getattr(f, factory)(**{field: "Sở Thử"}, **extra)
    type(row).objects.filter(pk=row.pk).update(search_text="")
    importlib.import_module(module).fill(apps, None)
    row.refresh_from_db()
    assert row.search_text == expected


def test_rebuild_stored_mends_the_search_text_of_bodies_and_targets():
    import io

    from django.core.management import call_command

    agency = f.AgencyFactory(name="Sở Thử")
    target = f.TargetFactory(text="Hợp tác xã")
    type(agency).objects.filter(pk=agency.pk).update(search_text="x")
    type(target).objects.filter(pk=target.pk).update(search_text="x")
    with pytest.raises(Exception, match="rebuild_stored"):
        call_command("rebuild_stored", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rebuild_stored", stdout=out)
    assert "agencies recomputed: 1" in out.getvalue()
    assert "targets recomputed: 1" in out.getvalue()
    agency.refresh_from_db()
    target.refresh_from_db()
    assert (agency.search_text, target.search_text) == ("so thu\n", "hop tac xa")


def test_a_task_is_found_by_the_agencies_assigned_to_it_as_they_change(client, leader):
    """The task list and the search page find a task by its agencies' names kept in its
    row (``Task.agencies_text``): an agency assigned, unassigned, moved to another task in
    the admin; a copy of the task read before and saved after does not write back the
    names it read."""
    from tasks.choices import AssignmentRole
    from tasks.models import TaskAssignment

    client.force_login(leader)
    agency = f.AgencyFactory(name="Ban Dân tộc tỉnh Thử", short_name="BDT Thử")
    task = f.TaskFactory(description="Hỗ trợ đồng bào", deliverable="Báo cáo")
    other = f.TaskFactory(description="Việc khác", deliverable="Báo cáo")
    stale = Task.objects.get(pk=task.pk)
    assert task not in listed(client, "ban dan toc tinh thu")
    assignment = TaskAssignment.objects.create(task=task, agency=agency, role=AssignmentRole.LEAD)
    assert task in listed(client, "ban dan toc tinh thu")
    assert task in listed(client, "bdt thu")
    assert "Hỗ trợ đồng bào" in search_page(client, "BAN DÂN TỘC TỈNH THỬ")
    stale.note = "Ưu tiên vùng khó khăn"
    stale.save()  # read before the assignment: its empty agencies' text is not written
    assert task in listed(client, "ban dan toc tinh thu")
    with pytest.raises(ValueError, match="refresh_agencies_text"):
        stale.save(update_fields=["agencies_text"])
    assignment.task = other
    assignment.save()  # moved in the admin: the task it left loses the name
    assert listed(client, "ban dan toc tinh thu") == [other]
    assignment.delete()
    assert listed(client, "ban dan toc tinh thu") == []
    # one task's agencies a line apart: a search never matches across two of them
    first = f.AgencyFactory(name="Sở Tài chính")
    second = f.AgencyFactory(name="Kho bạc Nhà nước")
    both = f.TaskFactory(description="Việc khác", leads=[first], partners=[second])
    assert both in listed(client, "kho bac nha nuoc")
    assert listed(client, "so tai chinh kho bac") == []
    assert listed(client, "so tai chinh\nkho bac") == []  # typed with a line break
    assert both in listed(client, "kho bac\nnha nuoc")  # a space, as it was meant


def test_the_migration_fills_the_agencies_text_of_existing_tasks():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("tasks.migrations.0017_task_agencies_text")
    first = f.AgencyFactory(name="Sở Tài chính", short_name="STC")
    second = f.AgencyFactory(name="Kho bạc Nhà nước")
    task = f.TaskFactory(leads=[second], partners=[first])
    expected = Task.objects.get(pk=task.pk).agencies_text  # as the signals keep it
    assert "so tai chinh\nstc\n" in expected and "kho bac nha nuoc" in expected
    Task.objects.filter(pk=task.pk).update(agencies_text="")
    migration.fill(apps, None)
    assert Task.objects.get(pk=task.pk).agencies_text == expected


def test_rebuild_stored_mends_the_agencies_text_of_tasks():
    """From the agencies' right names, even when their own stored text was wrong too."""
    import io

    from django.core.management import call_command

    agency = f.AgencyFactory(name="Sở Thử", short_name="")
    task = f.TaskFactory(leads=[agency])
    type(agency).objects.filter(pk=agency.pk).update(search_text="x")
    Task.objects.filter(pk=task.pk).update(agencies_text="y")
    with pytest.raises(Exception, match="rebuild_stored"):
        call_command("rebuild_stored", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rebuild_stored", stdout=out)
    assert "tasks recomputed: 1" in out.getvalue()
    assert Task.objects.get(pk=task.pk).agencies_text == "so thu\n"
    call_command("rebuild_stored", "--check", stdout=io.StringIO())
