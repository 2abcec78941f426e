"""Plan staff manage the sections ("Phần") of their plans' task tables in the portal:
create, rename, renumber, reorder, retire and restore, each change in the history."""

import pytest
from django.urls import reverse

from plans.models import Agency
from tasks.models import Task, TaskSection
from tests import factories as f
from tests.tasks.test_importing import empty_plan

pytestmark = pytest.mark.django_db


def section_data(**values):
    return {"number": "", "title": "", "note": "", "is_active": "on", "reason": "", **values}


def test_a_new_plan_is_filled_without_the_admin(client, plan_staff):
    """A plan with no section: the first task creates its section (numbered I), the
    second chooses it, a further section is added from the manage page."""
    plan = empty_plan("ke-hoach-moi")
    plan_staff.plans.add(plan)
    client.force_login(plan_staff)
    manage = client.get(reverse("tasks:task_manage", args=[plan.slug])).content.decode()
    assert "chưa có phần nào" in manage
    lead = Agency.objects.get(locality=plan.locality, name="Sở Nội vụ")
    add = reverse("tasks:task_add", args=[plan.slug])
    task = {
        "number": "1",
        "description": "Tuyên truyền Nghị quyết",
        "deadline_text": "Hằng năm",
        "is_active": "on",
        "leads": [lead.pk],
        "reason": "Nhập kế hoạch mới",
    }
    refused = client.post(add, task)
    assert refused.status_code == 200
    assert "Hãy chọn phần, hoặc nhập tên của phần mới" in refused.content.decode()
    done = client.post(add, {**task, "new_section_title": "Công tác tuyên truyền"})
    assert done.status_code == 302
    section = TaskSection.objects.get(plan=plan)
    assert (section.number, section.title) == ("I", "Công tác tuyên truyền")
    assert section.history.first().history_user == plan_staff
    client.post(add, {**task, "number": "2", "section": section.pk})
    assert [t.code for t in Task.objects.filter(plan=plan)] == ["I.1", "I.2"]
    client.post(
        reverse("tasks:section_add", args=[plan.slug]), section_data(title="Tổ chức thực hiện")
    )
    assert list(plan.task_sections.values_list("number", flat=True)) == ["I", "II"]


def test_staff_rename_renumber_and_the_history_says_who_and_why(client, plan_staff, dak_nong):
    client.force_login(plan_staff)
    section = dak_nong.task_sections.get(number="V")
    url = reverse("tasks:section_edit", args=["dak-nong", section.pk])
    page = client.get(url).content.decode()
    assert section.title in page
    client.post(url, section_data(number="v.", title="Tổ chức thực hiện", reason="Theo KH sửa đổi"))
    section.refresh_from_db()
    assert (section.number, section.title) == ("V", "Tổ chức thực hiện")
    last = section.history.first()
    assert (last.history_user, last.history_change_reason) == (plan_staff, "Theo KH sửa đổi")
    assert "Theo KH sửa đổi" in client.get(url).content.decode()


def test_a_number_taken_is_refused_in_vietnamese_with_the_input_kept(client, plan_staff, dak_nong):
    client.force_login(plan_staff)
    section = dak_nong.task_sections.get(number="V")
    url = reverse("tasks:section_edit", args=["dak-nong", section.pk])
    response = client.post(url, section_data(number="II", title="Tiêu đề mới đã gõ"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kế hoạch đã có phần II" in page and "Tiêu đề mới đã gõ" in page
    section.refresh_from_db()
    assert section.number == "V"
    blank = client.post(url, section_data(number="V"))
    assert blank.status_code == 200 and blank.context["form"].errors["title"]


def test_sections_move_up_and_down_and_keep_their_numbers(client, plan_staff, dak_nong):
    client.force_login(plan_staff)
    url = reverse("tasks:task_manage", args=["dak-nong"])
    iii = dak_nong.task_sections.get(number="III")
    client.post(url, {"section": iii.pk, "move": "up"})
    order = list(dak_nong.task_sections.order_by("order").values_list("number", flat=True))
    assert order == ["I", "III", "II", "IV", "V"]
    first = Task.objects.filter(plan=dak_nong, is_active=True).order_by("section__order", "order")
    assert first[3].code == "III.1"  # the task list follows
    assert iii.history.first().history_user == plan_staff
    client.post(url, {"section": iii.pk, "move": "down"})
    order = list(dak_nong.task_sections.order_by("order").values_list("number", flat=True))
    assert order == ["I", "II", "III", "IV", "V"]
    assert client.post(url, {"section": iii.pk, "task": "1", "move": "up"}).status_code == 400
    assert client.post(url, {"section": "²", "move": "up"}).status_code == 400


def test_retiring_a_section_retires_its_tasks_and_restoring_brings_them_back(
    client, plan_staff, dak_nong
):
    """Only the tasks retired with the section come back; reports are never touched."""
    client.force_login(plan_staff)
    section = dak_nong.task_sections.get(number="IV")
    earlier = section.tasks.get(number="4")
    earlier.is_active = False
    earlier.save()
    url = reverse("tasks:section_edit", args=["dak-nong", section.pk])
    client.post(url, section_data(number="IV", title=section.title, is_active="", reason="Bỏ"))
    assert not section.tasks.filter(is_active=True).exists()
    assert "IV.1" not in client.get(dak_nong.get_absolute_url()).content.decode()
    add = client.get(reverse("tasks:task_add", args=["dak-nong"]))
    assert section.pk not in [s.pk for s in add.context["form"].fields["section"].queryset]
    client.post(url, section_data(number="IV", title=section.title, is_active="on"))
    active = sorted(section.tasks.filter(is_active=True).values_list("number", flat=True))
    assert active == ["1", "2", "3"]
    restored = section.tasks.get(number="1").history.first()
    assert restored.history_user == plan_staff
    assert restored.history_change_reason == "Khôi phục cùng phần IV"


def test_a_retired_section_cannot_come_back_over_a_number_in_use(client, plan_staff, dak_nong):
    client.force_login(plan_staff)
    old = dak_nong.task_sections.get(number="V")
    url = reverse("tasks:section_edit", args=["dak-nong", old.pk])
    client.post(url, section_data(number="V", title=old.title, is_active=""))
    client.post(
        reverse("tasks:section_add", args=["dak-nong"]), section_data(number="V", title="Mới")
    )
    assert dak_nong.task_sections.filter(number="V").count() == 2
    response = client.post(url, section_data(number="V", title=old.title, is_active="on"))
    assert "Kế hoạch đã có phần V" in response.content.decode()


def test_a_section_is_found_only_in_its_plan(client):
    mine, theirs = f.PlanFactory(), f.PlanFactory()
    section = f.TaskSectionFactory(plan=theirs)
    client.force_login(f.plan_staff(mine))
    edit = "tasks:section_edit"
    assert client.get(reverse(edit, args=[theirs.slug, section.pk])).status_code == 403
    assert client.get(reverse(edit, args=[mine.slug, section.pk])).status_code == 404
    manage = reverse("tasks:task_manage", args=[mine.slug])
    assert client.post(manage, {"section": section.pk, "move": "up"}).status_code == 404


@pytest.mark.parametrize("number", ["abc", "-1", "IIII", "1e30", "[]"])
def test_a_section_number_is_a_numeral_a_letter_or_a_number(client, plan_staff, number):
    client.force_login(plan_staff)
    url = reverse("tasks:section_add", args=["dak-nong"])
    response = client.post(url, section_data(number=number, title="Phần mới"))
    assert response.status_code == 200
    assert "số La Mã (II), chữ cái (A) hoặc chữ số (2)" in response.content.decode()
    assert not TaskSection.objects.filter(title="Phần mới").exists()
