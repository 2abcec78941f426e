"""`manage.py backup` and `restore`: the database and the uploaded files round-trip exactly."""

import datetime
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection

from plans.models import Plan
from portal.backups import dump_options
from tasks.models import TaskEvidence
from tests.factories import AnnualReportFactory, TaskEvidenceFactory, UserFactory

UPLOADED_AT = datetime.datetime(2025, 12, 1, 8, 30, 15, 123456, tzinfo=datetime.UTC)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture(autouse=True)
def fresh_content_types():
    """A flush gives content types new ids: forget them when the test's rollback restores
    the old ones, so that later tests in this process do not use stale ids."""
    yield
    ContentType.objects.clear_cache()


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out, **dump_options())
    return out.getvalue()


def empty_database():
    """``flush`` inside the test's transaction (PostgreSQL first runs the deferred checks of
    the rows the test wrote: it refuses to TRUNCATE a table with checks pending)."""
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def build_data():
    """Rows of every kind a restore must keep: history, files, natural-keyed references."""
    evidence = TaskEvidenceFactory(name="minh-chứng tiến độ.pdf")
    report = AnnualReportFactory(final=True)
    user = UserFactory(first_name="Nguyễn Thị", last_name="Hoà")
    user.user_permissions.add(Permission.objects.get(codename="view_plan"))
    plan = Plan.objects.get(slug="dak-nong")
    plan.note = "Đã rà soát số liệu năm 2025."
    plan.save()
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Plan),
        object_id=str(plan.pk),
        object_repr=str(plan),
        action_flag=CHANGE,
        change_message="[]",
    )
    # Django's JSON encoder would cut this to milliseconds: the backup keeps microseconds.
    TaskEvidence.objects.filter(pk=evidence.pk).update(uploaded_at=UPLOADED_AT)
    return evidence, report


def test_backup_then_restore_into_an_empty_database_gives_back_the_same_data(db, media, tmp_path):
    """Back up, flush the database and empty MEDIA_ROOT, restore: `dumpdata` is identical
    and every file is back, byte for byte."""
    evidence, report = build_data()
    before, files_before = dump(), files(media)
    assert evidence.file.name in files_before and report.pdf.name in files_before
    assert '"model": "plans.historicalplan"' in before
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", output=archive, stdout=io.StringIO())

    assert archive.stat().st_mode & 0o077 == 0
    empty_database()
    shutil.rmtree(media)
    assert not Plan.objects.exists()
    out = io.StringIO()
    call_command("restore", archive, stdout=out)
    assert "Restored" in out.getvalue()
    assert dump() == before
    assert files(media) == files_before
    assert TaskEvidence.objects.get(pk=evidence.pk).uploaded_at == UPLOADED_AT


def test_restore_refuses_a_database_that_holds_plans(db, media, tmp_path):
    """The seeded test database holds plans: nothing is written without --force."""
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    evidence = TaskEvidenceFactory()
    before = dump()
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", archive)
    assert dump() == before
    assert evidence.file.name in files(media)


def test_restore_force_replaces_what_the_database_holds(db, media, tmp_path):
    """With --force the database is emptied first: rows changed or added after the backup
    are as they were."""
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    before = dump()
    Plan.objects.filter(slug="dak-nong").update(note="Sửa sau khi sao lưu.")
    UserFactory()
    call_command("restore", archive, force=True, stdout=io.StringIO())
    assert dump() == before


def test_restore_refuses_a_damaged_or_foreign_archive(db, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    empty_database()

    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            body = source.extractfile(member).read()
            if member.name == "data.jsonl":
                body = body.replace(b"dak-nong", b"dak-lak!")
            member.size = len(body)
            target.addfile(member, io.BytesIO(body))
    with pytest.raises(CommandError, match="data.jsonl does not match its checksum"):
        call_command("restore", damaged)

    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as target:
        body = json.dumps({"format": 1}).encode()
        info = tarfile.TarInfo("../manifest.json")
        info.size = len(body)
        target.addfile(info, io.BytesIO(body))
    with pytest.raises(CommandError, match="unexpected member"):
        call_command("restore", foreign)
    assert not Plan.objects.exists()


def test_restore_refuses_a_backup_made_at_other_migrations(db, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    changed = tmp_path / "changed.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(changed, "w:gz") as target:
        for member in source.getmembers():
            body = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(body)
                manifest["migrations"].append("plans.9999_future")
                body = json.dumps(manifest).encode()
            member.size = len(body)
            target.addfile(member, io.BytesIO(body))
    empty_database()
    with pytest.raises(CommandError, match="Only in the backup: plans.9999_future"):
        call_command("restore", changed)
