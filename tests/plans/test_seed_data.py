"""The five plans in the database match their documents (../shared/seeds)."""

import datetime
import os
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from plans.models import Agency, Locality, Plan
from plans.names import agency_key, agency_spellings
from portal.seeding import seed_all
from targets.models import Target
from tasks.choices import AssignmentRole, DeadlineKind
from tasks.models import Task

pytestmark = pytest.mark.django_db

SEEDS = Path(os.environ.get("KTTT_SEEDS_DIR", Path(settings.BASE_DIR).parent / "shared" / "seeds"))


def target(slug, milestone, indicator, *, parent=None):
    filters = {"plan__slug": slug, "indicator__code": indicator}
    if milestone == "yearly":
        filters["is_yearly"] = True
    else:
        filters["milestone_year"] = milestone
    if parent is not None:
        filters["parent__indicator__code"] = parent
    return Target.objects.get(**filters)


# (plan, milestone, indicator, comparator, value, upper bound) read off the documents.
DOCUMENT_VALUES = [
    ("binh-phuoc", 2025, "htx_count", "exact", 400, None),
    ("binh-phuoc", 2025, "htx_members", "exact", 14000, None),
    ("binh-phuoc", 2025, "lhhtx_count", "exact", 1, None),
    ("binh-phuoc", 2025, "lhhtx_member_htx", "exact", 4, None),
    ("binh-phuoc", 2025, "tht_count", "exact", 1430, None),
    ("binh-phuoc", 2025, "tht_members", "exact", 12800, None),
    ("binh-phuoc", 2025, "htx_effective_share", "exact", 50, None),
    ("binh-phuoc", 2025, "htx_hightech", "about", 100, None),
    ("binh-phuoc", 2030, "htx_count", "exact", 550, None),
    ("binh-phuoc", 2030, "htx_members", "exact", 16000, None),
    ("binh-phuoc", 2030, "lhhtx_member_htx", "range", 8, 10),
    ("binh-phuoc", 2030, "tht_count", "exact", 1500, None),
    ("binh-phuoc", 2030, "tht_members", "exact", 13300, None),
    ("binh-phuoc", 2030, "htx_hightech", "about", 200, None),
    ("binh-phuoc", 2030, "kttt_top100", "at_least", 1, None),
    ("binh-phuoc", 2045, "population_share", "minimum", 20, None),
    ("binh-phuoc", 2045, "kttt_effective_share", "more_than", 90, None),
    ("binh-phuoc", 2045, "kttt_top100", "at_least", 2, None),
    ("binh-phuoc", 2045, "women_director_share", "at_least", 30, None),
    ("yen-bai", "yearly", "tht_new", "or_more", 30, None),
    ("yen-bai", "yearly", "tht_new_members", "more_than", 90, None),
    ("yen-bai", "yearly", "htx_new", "or_more", 5, None),
    ("yen-bai", "yearly", "htx_new_members", "or_more", 35, None),
    ("yen-bai", 2025, "tht_effective", "exact", 400, None),
    ("yen-bai", 2025, "tht_effective_members", "more_than", 900, None),
    ("yen-bai", 2025, "htx_effective", "more_than", 70, None),
    ("yen-bai", 2025, "htx_effective_members", "about", 500, None),
    ("yen-bai", 2025, "kttt_good_fair_share", "more_than", 50, None),
    ("yen-bai", 2025, "htx_hightech", "exact", 5, None),
    ("yen-bai", 2030, "tht_effective_members", "more_than", 1500, None),
    ("yen-bai", 2030, "htx_effective", "more_than", 85, None),
    ("yen-bai", 2030, "kttt_good_fair_share", "more_than", 65, None),
    ("yen-bai", 2030, "htx_hightech", "exact", 10, None),
    ("yen-bai", 2045, "working_age_population_share", "minimum", 20, None),
    ("go-cong-tay", 2030, "tht_count", "about", 35, None),
    ("go-cong-tay", 2030, "tht_members", "exact", 5000, None),
    ("go-cong-tay", 2030, "htx_count", "exact", 30, None),
    ("go-cong-tay", 2030, "htx_members", "exact", 10500, None),
    ("go-cong-tay", 2030, "htx_good_fair_share", "more_than", 60, None),
    ("go-cong-tay", 2030, "htx_hightech", "more_than", 5, None),
    ("dak-nong", 2030, "tht_count", "about", 300, None),
    ("dak-nong", 2030, "tht_members", "more_than", 4200, None),
    ("dak-nong", 2030, "htx_count", "exact", 360, None),
    ("dak-nong", 2030, "htx_members", "exact", 17000, None),
    ("dak-nong", 2030, "lhhtx_count", "exact", 5, None),
    ("dak-nong", 2030, "lhhtx_member_htx", "range", 25, 30),
    ("dak-nong", 2030, "kttt_good_fair_share", "more_than", 60, None),
    ("dak-nong", 2030, "htx_hightech", "more_than", 70, None),
    ("dak-nong", 2045, "women_director_share", "at_least", 30, None),
    ("kon-tum", 2030, "tht_new", "about", 300, None),
    ("kon-tum", 2030, "htx_new", "about", 150, None),
    ("kon-tum", 2030, "lhhtx_new", "about", 5, None),
    ("kon-tum", 2030, "htx_hightech_share", "more_than", 12, None),
    ("kon-tum", 2030, "traceability_share", "exact", 100, None),
    ("kon-tum", 2030, "htx_agri_business_link_share", "about", 50, None),
    ("kon-tum", 2045, "population_share", "minimum", 20, None),
]


@pytest.mark.parametrize(
    ("slug", "milestone", "indicator", "comparator", "value", "upper"), DOCUMENT_VALUES
)
def test_target_values_match_the_documents(slug, milestone, indicator, comparator, value, upper):
    """Every listed number, comparator and bound is the one the document writes."""
    t = target(slug, milestone, indicator)
    assert t.comparator == comparator
    assert t.value == Decimal(value)
    assert t.value_max == (Decimal(upper) if upper is not None else None)


@pytest.mark.parametrize(
    ("slug", "milestone", "parent", "child", "value"),
    [
        ("binh-phuoc", 2030, "htx_effective_share", "htx_value_chain_share", 50),
        ("yen-bai", 2025, "kttt_good_fair_share", "kttt_value_chain_share", 30),
        ("yen-bai", 2030, "kttt_good_fair_share", "kttt_value_chain_share", 50),
        ("yen-bai", 2045, "kttt_effective_share", "kttt_value_chain_share", 75),
        ("go-cong-tay", 2030, "htx_good_fair_share", "htx_value_chain_share", 50),
        ("dak-nong", 2030, "kttt_good_fair_share", "kttt_value_chain_share", 50),
        ("dak-nong", 2045, "kttt_effective_share", "kttt_value_chain_share", 75),
        ("kon-tum", 2030, "kttt_good_fair_share", "kttt_value_chain_share", 50),
        ("binh-phuoc", 2045, "kttt_top100", "htx_top100_hightech_agri", 1),
        ("binh-phuoc", 2045, "kttt_top100", "htx_top100_trade_service", 1),
    ],
)
def test_of_which_targets_hang_under_their_parent(slug, milestone, parent, child, value):
    """ "trong đó" sub-targets are nested under the target they are a share of."""
    t = target(slug, milestone, child, parent=parent)
    assert t.parent.indicator.code == parent
    assert t.value == Decimal(value)


def test_newly_founded_targets_are_flagged():
    """Kon Tum's 2030 and Yên Bái's yearly "thành lập mới" targets count new organisations."""
    flagged = set(
        Target.objects.filter(newly_founded=True).values_list("plan__slug", "indicator__code")
    )
    assert flagged == {
        ("kon-tum", "tht_new"),
        ("kon-tum", "htx_new"),
        ("kon-tum", "lhhtx_new"),
        ("yen-bai", "tht_new"),
        ("yen-bai", "tht_new_members"),
        ("yen-bai", "htx_new"),
        ("yen-bai", "htx_new_members"),
    }
    assert all(t.indicator.is_flow for t in Target.objects.filter(newly_founded=True))
    assert set(Target.objects.filter(is_yearly=True).values_list("plan__slug", flat=True)) == {
        "yen-bai"
    }


def test_milestones_per_plan():
    """Each plan has the milestones its document sets (Đắk Nông and Gò Công Tây: no 2025)."""

    def milestones(slug):
        return set(
            Target.objects.filter(plan__slug=slug, is_yearly=False).values_list(
                "milestone_year", flat=True
            )
        )

    assert milestones("binh-phuoc") == {2025, 2030, 2045}
    assert milestones("yen-bai") == {2025, 2030, 2045}
    assert milestones("go-cong-tay") == {2030, 2045}
    assert milestones("dak-nong") == {2030, 2045}
    assert milestones("kon-tum") == {2030, 2045}


def test_qualitative_targets_are_kept_as_text():
    """ "ngang tầm với các nước trong khu vực" and similar stay as text targets, no value."""
    quality = Target.objects.get(plan__slug="binh-phuoc", code="2045-quality")
    assert quality.is_qualitative and quality.value is None and quality.indicator is None
    assert "ngang tầm với các nước trong khu vực" in quality.text
    for slug in ["yen-bai", "go-cong-tay", "dak-nong", "kon-tum"]:
        assert Target.objects.filter(plan__slug=slug, comparator="qualitative").exists()


def _digits_in(text: str) -> set[int]:
    return {int(n.replace(".", "")) for n in re.findall(r"\d{1,3}(?:\.\d{3})+|\d+", text)}


def test_every_number_is_traceable_to_its_sentence():
    """No number invented: each target value (and bound) appears in the source sentence,
    and each source sentence appears in the seed document (whitespace aside)."""
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the seed documents are missing: {SEEDS}")
        pytest.skip(f"the seed documents are not beside this checkout ({SEEDS})")
    documents = {}
    for plan in Plan.objects.all():
        raw = (SEEDS / plan.seed_file).read_text(encoding="utf-8")
        documents[plan.slug] = re.sub(r"[\s*#\\]+", " ", unicodedata.normalize("NFC", raw))
    for t in Target.objects.select_related("plan"):
        if t.value is not None:
            numbers = _digits_in(t.source_text)
            assert int(t.value) in numbers, (t.plan.slug, t.code)
            if t.value_max is not None:
                assert int(t.value_max) in numbers, (t.plan.slug, t.code)
        # every sentence fragment of the target text is in the document
        words = re.sub(r"[\s*#\\]+", " ", t.text).strip()
        assert words.lower() in documents[t.plan.slug].lower(), (t.plan.slug, t.code, words)


def test_dak_nong_appendix_has_all_26_rows_in_five_sections():
    tasks = Task.objects.filter(plan__slug="dak-nong").select_related("section")
    assert tasks.count() == 26
    per_section = {}
    for task in tasks:
        per_section[task.section.number] = per_section.get(task.section.number, 0) + 1
    assert per_section == {"I": 3, "II": 14, "III": 2, "IV": 4, "V": 3}


@pytest.mark.parametrize(
    ("code", "lead", "partners", "deliverable", "deadline"),
    [
        (
            "I.1",
            ["Các Sở, Ban, ngành", "UBND các huyện, thành phố"],
            ["Sở Thông tin và Truyền thông", "Báo Đắk Nông", "Đài Phát thanh và Truyền hình tỉnh"],
            "Các bản tin, tờ rơi, các báo cáo",
            "Thường xuyên",
        ),
        (
            "II.2",
            ["Sở Kế hoạch và Đầu tư"],
            ["Các Sở, Ban, ngành", "UBND các huyện, thành phố"],
            "Báo cáo, Quyết định của UBND tỉnh",
            "Hàng năm",
        ),
        (
            "II.3",
            ["Sở Kế hoạch và Đầu tư"],
            ["Các Sở, Ban, ngành", "UBND các huyện, thành phố"],
            "Kế hoạch của UBND tỉnh (sau khi Chính phủ ban hành Chương trình hành động)",
            "Năm 2024-2025",
        ),
        (
            "II.13",
            ["Cục Thuế tỉnh"],
            ["Sở Tài chính", "UBND các huyện, thành phố"],
            "Báo cáo, Kế hoạch tổ chức tập huấn các chính sách",
            "Hàng năm",
        ),
        (
            "IV.1",
            ["Ban Chỉ đạo kinh tế tập thể tỉnh"],
            ["Liên minh Hợp tác xã tỉnh", "Sở Nội vụ", "UBND các huyện, thành phố"],
            "Quyết định của UBND tỉnh",
            "Năm 2023-2025",
        ),
        ("IV.4", ["UBND các huyện, thành phố"], [], "Quyết định của UBND cấp huyện", "Năm 2023"),
        (
            "V.3",
            ["Hội Nông dân tỉnh"],
            ["Các Sở, Ban, ngành", "UBND các huyện, thành phố"],
            "Kế hoạch",
            "Thường xuyên",
        ),
    ],
)
def test_dak_nong_rows_as_written(code, lead, partners, deliverable, deadline):
    section, number = code.split(".")
    task = Task.objects.get(plan__slug="dak-nong", section__number=section, number=number)
    assert [a.name for a in task.lead_agencies] == lead
    assert [a.name for a in task.partner_agencies] == partners
    assert task.deliverable == deliverable
    assert task.deadline_text == deadline
    assert task.deadline_understood


def test_conversion_typos_are_fixed_and_recorded():
    """ "Kiểm toàn" is a conversion typo for "Kiện toàn": fixed, and the note says so."""
    for number in ["1", "4"]:
        task = Task.objects.get(plan__slug="dak-nong", section__number="IV", number=number)
        assert "iểm toàn" not in task.description
        assert "iện toàn" in task.description
        assert "Kiểm toàn" in task.data_note or "kiểm toàn" in task.data_note


def test_sở_khđt_leads_rows_ii2_to_ii4_and_cooperates_nowhere_else():
    skhdt = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    leads = Task.objects.filter(
        plan__slug="dak-nong", assignments__agency=skhdt, assignments__role=AssignmentRole.LEAD
    )
    assert sorted(t.code for t in leads) == ["II.2", "II.3", "II.4"]


def test_prose_assignments_of_the_other_plans_are_task_rows():
    """Kon Tum's "*" lines, Bình Phước's III, Yên Bái's and Gò Công Tây's "Tổ chức thực
    hiện" are kept as task rows with their agencies."""
    counts = {p.slug: p.tasks.count() for p in Plan.objects.all()}
    assert counts == {"binh-phuoc": 6, "yen-bai": 4, "go-cong-tay": 5, "dak-nong": 26, "kon-tum": 9}
    quarter = Task.objects.get(plan__slug="kon-tum", deadline_kind=DeadlineKind.QUARTER)
    assert (quarter.deadline_quarter, quarter.deadline_year_to) == (4, 2022)
    bp = Task.objects.get(plan__slug="binh-phuoc", number="2")
    assert (bp.deadline_kind, bp.deadline_due_day, bp.deadline_due_month) == ("yearly", 15, 12)
    assert all(t.lead_agencies for t in Task.objects.prefetch_related("assignments__agency"))


def test_every_seeded_deadline_is_understood():
    assert not Task.objects.filter(deadline_kind=DeadlineKind.UNKNOWN).exists()


def test_agencies_are_recorded_once():
    """Two spellings of one body are one agency ("Sở Thông tin Truyền thông")."""
    for agency_locality in Locality.objects.all():
        keys = []
        for agency in Agency.objects.filter(locality=agency_locality):
            keys += {agency_key(n) for n in agency_spellings(agency)}
        assert len(keys) == len(set(keys)), agency_locality
    tttt = Agency.objects.get(locality__code="dak-nong", name="Sở Thông tin và Truyền thông")
    assert tttt.tasks.count() == 2  # I.1 (written "Sở Thông tin Truyền thông") and I.2


def test_collective_phrases_stay_named_groups():
    group = Agency.objects.get(locality__code="dak-nong", name="Các Sở, Ban, ngành")
    assert group.is_group
    assert not group.children.exists()
    assert Agency.objects.get(name="UBND các huyện, thành phố").is_group


def test_plan_document_details():
    bp = Plan.objects.get(slug="binh-phuoc")
    assert (bp.number, bp.issued_on, bp.signer_name) == (
        "147/KH-UBND",
        datetime.date(2023, 5, 5),
        "Trần Tuệ Hiền",
    )
    dn = Plan.objects.get(slug="dak-nong")
    assert dn.issued_on == datetime.date(2023, 3, 7)  # the body's date, not the appendix's
    assert "06 tháng 3" in dn.note
    assert dn.signer_name == "Lê Trọng Yên"
    assert {d.number for d in dn.implements.all()} == {"20-NQ/TW", "09/NQ-CP", "54-CTr/TU"}
    gct = Plan.objects.get(slug="go-cong-tay")
    assert gct.issued_on is None
    kt = Plan.objects.get(slug="kon-tum")
    assert kt.signer_name == "" and kt.kind == "chuong_trinh"
    yb = Plan.objects.get(slug="yen-bai")
    # "báo cáo ... với Ban Thường vụ Thành ủy (qua UBND thành phố)": the city's UBND compiles.
    assert yb.coordinating_body.name == "Ủy ban nhân dân thành phố Yên Bái"
    assert yb.report_issuer is None  # the Thành ủy's own report
    assert yb.level == "city"
    for slug in ["binh-phuoc", "dak-nong"]:
        plan = Plan.objects.get(slug=slug)
        assert plan.coordinating_body.name == "Sở Kế hoạch và Đầu tư"
        assert plan.report_due_date(2024) == datetime.date(2024, 12, 15)
    # seed 003 IV.2: the Sở KH&ĐT compiles and reports to the UBND tỉnh.
    dn = Plan.objects.get(slug="dak-nong")
    assert dn.report_issuer.name == "Sở Kế hoạch và Đầu tư"
    assert [a.name for a in dn.report_addressees.all()] == ["Ủy ban nhân dân tỉnh Đắk Nông"]
    # seed 000 III.2: "tham mưu UBND tỉnh báo cáo Tỉnh ủy, Chính phủ".
    assert {a.name for a in bp.report_addressees.all()} == {"Tỉnh ủy Bình Phước", "Chính phủ"}
    assert gct.report_frequency == "periodic"
    assert gct.coordinating_body.name == "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện"
    assert kt.coordinating_body.name == "Ban cán sự đảng Ủy ban nhân dân tỉnh"


def test_2025_successions():
    """Sở KH&ĐT → Sở Tài chính from 01/3/2025; provinces merged from 01/7/2025."""
    dn = Plan.objects.get(slug="dak-nong")
    assert dn.coordinator_as_of(datetime.date(2024, 12, 31)).name == "Sở Kế hoạch và Đầu tư"
    recipient_2026 = dn.coordinator_as_of(datetime.date(2026, 12, 31))
    assert recipient_2026.name == "Sở Tài chính tỉnh Lâm Đồng"
    skhdt = dn.coordinating_body
    assert skhdt.current_as_of(datetime.date(2025, 2, 28)) == skhdt
    assert skhdt.current_as_of(datetime.date(2025, 3, 1)).name == "Sở Tài chính"
    assert skhdt.current_as_of(datetime.date(2025, 3, 1)).locality.code == "dak-nong"
    bp = Plan.objects.get(slug="binh-phuoc")
    assert bp.coordinator_as_of(datetime.date(2026, 12, 31)).name == "Sở Tài chính tỉnh Đồng Nai"
    expected = {
        "binh-phuoc": "dong-nai",
        "dak-nong": "lam-dong",
        "yen-bai": "lao-cai",
        "kon-tum": "quang-ngai",
        "tien-giang": "dong-thap",
    }
    for code, successor in expected.items():
        loc = Locality.objects.get(code=code)
        assert loc.successor.code == successor
        assert loc.successor_from == datetime.date(2025, 7, 1)
        assert loc.current_as_of(datetime.date(2025, 6, 30)) == loc
    assert Locality.objects.get(code="go-cong-tay").dissolved_on == datetime.date(2025, 7, 1)


def test_seeding_again_duplicates_nothing_and_keeps_user_edits():
    target_count, task_count = Target.objects.count(), Task.objects.count()
    edited = Target.objects.get(plan__slug="dak-nong", code="2030-htx")
    edited.value = Decimal("365")
    edited.save()
    task = Task.objects.get(plan__slug="dak-nong", section__number="II", number="3")
    task.assignments.filter(role="partner").delete()

    result = seed_all(fixtures_dir=settings.FIXTURES_DIR)

    assert sum(result.created.values()) == 0
    assert Target.objects.count() == target_count
    assert Task.objects.count() == task_count
    edited.refresh_from_db()
    assert edited.value == Decimal("365")
    assert not task.assignments.filter(role="partner").exists()


def test_seeding_again_after_staff_replaced_a_section_does_not_fail(dak_nong):
    """A "replace" import retires the seeded section I and creates a new active I: seeding
    again (``make setup`` on an existing database) uses the active one."""
    from portal.seeding import seed_all
    from tasks.models import TaskSection

    seeded = TaskSection.objects.get(plan=dak_nong, number="I")
    seeded.is_active = False
    seeded.save()
    TaskSection.objects.create(plan=dak_nong, number="I", title="Phần nhập mới", order=1)
    seed_all(fixtures_dir=settings.FIXTURES_DIR)
    assert TaskSection.objects.filter(plan=dak_nong, number="I").count() == 2
