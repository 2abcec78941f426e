"""The admin speaks Vietnamese: a superuser walks every registered model's list, add page
and one change page (with its history), the password pages and the admin's index, and no
page shows English words of Django's admin (a list of the words its templates, forms and
messages use), nor a translation taken from another context ("Active" → "ĐANG THỰC HIỆN")."""

import html
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

# Words of Django's admin and auth in English, as they would show if a message had no
# Vietnamese translation. Data (agency names, numbers, "PDF", "Excel") never contains them.
ENGLISH = {
    "action",
    "actions",
    "active",
    "add",
    "added",
    "administration",
    "all",
    "and",
    "another",
    "any",
    "are",
    "at",
    "available",
    "below",
    "by",
    "can",
    "change",
    "changed",
    "characters",
    "choose",
    "chosen",
    "clear",
    "click",
    "confirm",
    "contain",
    "correct",
    "date",
    "dates",
    "delete",
    "deleted",
    "designates",
    "documentation",
    "edit",
    "enter",
    "error",
    "errors",
    "field",
    "filter",
    "first",
    "for",
    "from",
    "go",
    "groups",
    "has",
    "have",
    "hide",
    "history",
    "home",
    "important",
    "info",
    "into",
    "is",
    "last",
    "least",
    "log",
    "login",
    "may",
    "models",
    "must",
    "name",
    "new",
    "no",
    "not",
    "now",
    "of",
    "one",
    "only",
    "or",
    "out",
    "password",
    "passwords",
    "permissions",
    "personal",
    "please",
    "raw",
    "remove",
    "required",
    "reset",
    "save",
    "search",
    "select",
    "selected",
    "should",
    "show",
    "site",
    "staff",
    "status",
    "superuser",
    "than",
    "that",
    "the",
    "this",
    "to",
    "today",
    "treat",
    "unknown",
    "user",
    "username",
    "users",
    "using",
    "view",
    "welcome",
    "were",
    "what",
    "when",
    "which",
    "with",
    "without",
    "yes",
    "you",
    "your",
}
# Vietnamese words that would mean a message was translated from the wrong context: on
# the users' pages, "active" is an account's state, not a task's.
WRONG_CONTEXT = ["đang thực hiện"]


def visible_text(content: bytes) -> str:
    page = content.decode()
    page = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", page)
    page = re.sub(r"(?is)<!--.*?-->", " ", page)
    # What a user reads besides text: the labels of buttons and inputs, and titles.
    values = re.findall(r'(?i)<input[^>]+type="(?:submit|button)"[^>]*value="([^"]*)"', page)
    titles = re.findall(r'(?i)\b(?:title|placeholder|aria-label)="([^"]*)"', page)
    text = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *values, *titles]))


def english_words(text: str) -> set[str]:
    """English admin words among the page's words (whole words: "Toàn" is not "To"; codes
    such as "htx_new" and the "<unknown>" django-axes stores for a missing header are
    data)."""
    text = text.replace("<unknown>", " ")
    words = re.findall(r"\w+(?:'\w+)?", text)
    return {w for w in words if "_" not in w and w.lower() in ENGLISH}


def admin_pages(user) -> list[str]:
    """Every admin page a superuser opens for each registered model, and the password
    pages."""
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    urls.append(reverse("admin:auth_user_password_change", args=[user.pk]))
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse("admin:app_list", args=[model._meta.app_label]))
        urls.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(_request(user)):
            urls.append(reverse(f"{name}_add"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"{name}_change", args=[obj.pk]))
            urls.append(reverse(f"{name}_history", args=[obj.pk]))
            if model_admin.has_delete_permission(_request(user), obj):
                urls.append(reverse(f"{name}_delete", args=[obj.pk]))
    return list(dict.fromkeys(urls))


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.fixture
def superuser_client(client, dak_nong):
    user = f.admin()
    task = dak_nong.tasks.first()
    f.TaskReportFactory(task=task, agency=task.assignments.first().agency, submitted=True)
    client.force_login(user)
    client.user = user
    return client


def test_every_admin_page_is_in_vietnamese(superuser_client):
    problems = {}
    pages = admin_pages(superuser_client.user)
    for url in pages:
        response = superuser_client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code != 200:
            continue
        text = visible_text(response.content)
        found = english_words(text)
        if url.startswith(("/admin/accounts/", "/admin/auth/", "/admin/axes/")):
            found |= {w for w in WRONG_CONTEXT if w in text.lower()}
        if found:
            problems[url] = sorted(found)
    assert len(pages) > 60
    assert not problems, problems


def test_a_form_with_errors_says_so_in_vietnamese(superuser_client):
    response = superuser_client.post(reverse("admin:plans_locality_add"), {})
    text = visible_text(response.content)
    assert "Please correct" not in text
    assert "Vui lòng sửa" in text, text
    assert not english_words(text), english_words(text)


def test_the_users_active_column_is_not_a_task_state(superuser_client):
    text = visible_text(superuser_client.get(reverse("admin:accounts_user_changelist")).content)
    assert "Đang thực hiện" not in text and "đang thực hiện" not in text
    assert "Kích hoạt" in text or "Đang hoạt động" in text


def test_the_admins_change_links_are_not_a_year_on_year_change(superuser_client, dak_nong):
    """The plan page's statistics column "Change" (from the year before: "Tăng/giảm") is its
    own message; the admin's edit links keep Django's "Thay đổi" (its own translation)."""
    text = visible_text(superuser_client.get(reverse("admin:index")).content)
    assert "Tăng/giảm" not in text
    assert "Thay đổi" in text
