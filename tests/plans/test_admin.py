"""The Django admin: every model's list, search and change page work for an administrator
and are closed to everyone else."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from plans.models import Plan

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"accounts", "plans", "targets", "tasks", "reports"}
MODELS = [m for m in admin.site._registry if m._meta.app_label in PORTAL_APPS]


def test_every_portal_model_is_in_the_admin():
    registered = {m for m in MODELS}
    for model in apps.get_models():
        if model._meta.app_label in PORTAL_APPS and not model.__name__.startswith("Historical"):
            if model._meta.auto_created:
                continue
            assert model in registered, model


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_changelist_search_and_change_page(client, admin_user, model):
    client.force_login(admin_user)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "Đắk Nông"}).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200


def test_plan_admin_shows_targets_and_sections_inline(client, admin_user):
    client.force_login(admin_user)
    plan = Plan.objects.get(slug="dak-nong")
    html = client.get(reverse("admin:plans_plan_change", args=[plan.pk])).content.decode()
    assert "Bảo đảm trên 60% tổ chức kinh tế tập thể đạt loại tốt, khá" in html
    assert "Tiếp tục đổi mới, hoàn thiện cơ chế" in html


def test_admin_is_open_to_administrators_only(any_role_client):
    response = any_role_client.get(reverse("admin:plans_plan_changelist"))
    if any_role_client.role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_task_saved_in_admin_gets_its_structured_deadline(client, admin_user):
    from tasks.models import Task

    client.force_login(admin_user)
    task = Task.objects.get(plan__slug="dak-nong", section__number="II", number="3")
    url = reverse("admin:tasks_task_change", args=[task.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: (field.value() if field.value() is not None else "")
        for name, field in ((n, form[n]) for n in form.fields)
    }
    data["deadline_text"] = "Quý II/2026"
    data["is_active"] = "on"
    inline = page.context["inline_admin_formsets"][0].formset
    data.update(
        {
            f"{inline.prefix}-TOTAL_FORMS": str(inline.total_form_count()),
            f"{inline.prefix}-INITIAL_FORMS": str(inline.initial_form_count()),
        }
    )
    for i, sub in enumerate(inline.forms):
        for name in sub.fields:
            value = sub[name].value()
            data[f"{inline.prefix}-{i}-{name}"] = "" if value is None else value
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    task.refresh_from_db()
    assert (task.deadline_kind, task.deadline_quarter, task.deadline_year_to) == (
        "quarter",
        2,
        2026,
    )
    assert task.history.count() >= 2
