"""Report files built off the request path, and kept until their data changes.

Rendering is the slow part of a report (WeasyPrint: a plan's PDF takes a second or two, a
consolidated report several); assembling its content is cheap. So a download assembles
the content, takes its **fingerprint** (SHA-256 of the content serialised
deterministically, of what was asked for and of the renderer's sources) and:

- a file built from the same fingerprint is served at once;
- otherwise one build is queued (a unique fingerprint: simultaneous requests share it)
  and the download answers with a progress page; the worker (``manage.py db_worker``,
  django-tasks' database backend, task :func:`reports.jobs.build_report_file`) assembles
  the content again, renders it and stores the file;
- a failed build says why and can be retried; a build waiting or running for longer
  than :data:`STALE_AFTER` counts as failed (the worker is probably not running).

When the data changes, the fingerprint changes and a new file is built; once it is done,
the older files of the same download are deleted. A finalised report's PDF and Excel are
not built here: they are the stored files (``reports.services``).
"""

import dataclasses
import datetime
import decimal
import hashlib
import json
import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from plans.models import Agency, Plan

from .assembly import assemble_consolidated, assemble_plan_report
from .choices import BuildStatus, BuildStep, BuiltFileKind
from .models import AnnualReport, BuiltReportFile
from .services import consolidated_file, render_plan_file

logger = logging.getLogger(__name__)

# Bump when the output changes in a way the sources below do not show (a font, a library).
VERSION = "1"
# The files that shape a report file: a change to any of them changes every fingerprint.
RENDERER_SOURCES = [
    "templates/reports",
    "static/css",
    "reports/pdf.py",
    "reports/docx.py",
    "reports/xlsx.py",
    "reports/tree.py",
    "common/formatting.py",
]
# Files built by the worker; the other formats (a plan's Word and Excel file, measured
# well under half a second) are rendered in the request.
BACKGROUND = {
    (BuiltFileKind.PLAN, "pdf"),
    (BuiltFileKind.CONSOLIDATED, "pdf"),
    (BuiltFileKind.CONSOLIDATED, "docx"),
    (BuiltFileKind.CONSOLIDATED, "xlsx"),
}
STALE_AFTER = datetime.timedelta(minutes=15)
# A consolidated report of more plans than this is not assembled in the request (about
# 45 ms a plan: a national report of a thousand plans took a minute): the worker checks
# it. The request serves the last file of the same choice the worker checked within
# RECHECK_AFTER, else queues a check (and a build if the data changed) and shows progress.
ASSEMBLED_IN_REQUEST = 20
RECHECK_AFTER = datetime.timedelta(minutes=settings.KTTT_REPORT_RECHECK_MINUTES)
CHECK_PREFIX = "?"


def checked_by_worker(plans) -> bool:
    """Whether a consolidated report of ``plans`` is too large to assemble in the request."""
    return len(plans) > ASSEMBLED_IN_REQUEST


# Related objects the renderers read through a model instance of the content (the
# templates write ``r.plan.locality.name``): part of the fingerprint as well.
FOLLOWED = {"plans.Plan": ("locality",)}
PLAN_RELATED = ("locality", "issuing_body", "coordinating_body", "report_issuer")


def built_in_background(kind: str, fmt: str) -> bool:
    return (kind, fmt) in BACKGROUND


# --- what is asked for


def plan_params(*, plan: Plan, year: int) -> dict:
    return {"plan": plan.slug, "year": year}


def consolidated_params(*, issuer: Agency, year: int, plans) -> dict:
    return {"issuer": issuer.pk, "year": year, "plans": [p.slug for p in plans]}


def assemble_content(kind: str, params: dict):
    """The content a build renders, assembled from the database as it is now."""
    year = params["year"]
    if kind == BuiltFileKind.PLAN:
        plan = Plan.objects.select_related(*PLAN_RELATED).get(slug=params["plan"])
        report = (
            AnnualReport.objects.filter(plan=plan, year=year)
            .select_related("reporting_body")
            .first()
        )
        return assemble_plan_report(plan=plan, year=year, report=report)
    issuer = Agency.objects.get(pk=params["issuer"])
    plans = list(
        Plan.objects.select_related(*PLAN_RELATED, "locality__parent")
        .filter(slug__in=params["plans"])
        .order_by("slug")
    )
    return assemble_consolidated(plans=plans, year=year, issuer=issuer)


def render_content(kind: str, fmt: str, content) -> bytes:
    if kind == BuiltFileKind.PLAN:
        return render_plan_file(content, kind=fmt)
    return consolidated_file(content, kind=fmt)


# --- fingerprints


def _plain(value):
    """``value`` as JSON-able data, deterministically: dataclasses by their fields, model
    instances by their concrete fields (and the relations in :data:`FOLLOWED`), numbers
    and dates as text. What an object happens to have cached plays no part."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "@": type(value).__name__,
            **{f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)},
        }
    if isinstance(value, models.Model):
        data = {"@": value._meta.label}
        for field in value._meta.concrete_fields:
            data[field.attname] = _plain(field.value_from_object(value))
        for name in FOLLOWED.get(value._meta.label, ()):
            data[name] = _plain(getattr(value, name))
        return data
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, decimal.Decimal):
        return f"D{value}"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


@cache
def renderer_version() -> str:
    """SHA-256 of :data:`VERSION` and of every file in :data:`RENDERER_SOURCES`."""
    digest = hashlib.sha256(VERSION.encode())
    base = Path(settings.BASE_DIR)
    for source in RENDERER_SOURCES:
        path = base / source
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(base)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def request_key(*, kind: str, fmt: str, params: dict) -> str:
    """One key per downloadable file: the same key, the same download."""
    return hashlib.sha256(_canonical({"kind": kind, "format": fmt, **params})).hexdigest()


def content_fingerprint(*, key: str, content) -> str:
    digest = hashlib.sha256(key.encode())
    digest.update(renderer_version().encode())
    digest.update(_canonical(_plain(content)))
    return digest.hexdigest()


# --- requests (the web) and builds (the worker)


def _enqueue(built: BuiltReportFile) -> None:
    from .jobs import build_report_file

    result = build_report_file.enqueue(built.pk)
    built.task_id = str(result.id)
    built.save(update_fields=["task_id"])


def _give_up_if_stale(built: BuiltReportFile) -> None:
    since = built.started_at or built.created_at
    if built.is_pending and timezone.now() - since > STALE_AFTER:
        built.status = BuildStatus.FAILED
        built.error = f"Not ready after {STALE_AFTER} (is the worker running?)"
        built.finished_at = timezone.now()
        built.save(update_fields=["status", "error", "finished_at"])
        logger.error("Report build %s stale (%s since %s)", built.pk, built.status, since)


def built_file_request(
    *, kind: str, fmt: str, params: dict, content, user=None, retry: bool = False
) -> BuiltReportFile:
    """The built file for ``content``: done, on its way, or failed. The first request
    for a fingerprint queues its build, in the transaction that records it: of two
    simultaneous requests one creates the row, the other reads it. ``retry`` queues a
    failed build again."""
    key = request_key(kind=kind, fmt=fmt, params=params)
    fingerprint = content_fingerprint(key=key, content=content)
    with transaction.atomic():
        return _one_build(
            fingerprint, key=key, kind=kind, fmt=fmt, params=params, user=user, retry=retry
        )


def checked_file_request(
    *, kind: str, fmt: str, params: dict, user=None, retry: bool = False
) -> BuiltReportFile:
    """The built file for a choice too large to assemble in the request: the last one the
    worker found current within :data:`RECHECK_AFTER`, else a check the worker runs (its
    row holds a placeholder fingerprint, unique per choice, until the worker knows the
    real one: simultaneous requests share it)."""
    key = request_key(kind=kind, fmt=fmt, params=params)
    recent = (
        BuiltReportFile.objects.filter(
            key=key, status=BuildStatus.DONE, checked_at__gte=timezone.now() - RECHECK_AFTER
        )
        .order_by("-checked_at")
        .first()
    )
    if recent is not None:
        return recent
    with transaction.atomic():
        # A check or build of this choice under way, or the last one failed: that one.
        latest = (
            BuiltReportFile.objects.select_for_update()
            .filter(key=key)
            .exclude(status=BuildStatus.DONE)
            .order_by("-created_at", "-pk")
            .first()
        )
        if latest is not None:
            _give_up_if_stale(latest)
            if latest.status == BuildStatus.FAILED and retry:
                _requeue(latest)
            return latest
        placeholder = (CHECK_PREFIX + key)[:64]
        return _one_build(
            placeholder, key=key, kind=kind, fmt=fmt, params=params, user=user, retry=retry
        )


def _one_build(fingerprint, *, key, kind, fmt, params, user, retry) -> BuiltReportFile:
    """The build of ``fingerprint``, created and queued if there is none (in the caller's
    transaction: of two simultaneous requests one creates the row, the other reads it);
    one failed is queued again if ``retry``."""
    built, created = BuiltReportFile.objects.get_or_create(
        fingerprint=fingerprint,
        defaults={
            "kind": kind,
            "format": fmt,
            "key": key,
            "params": params,
            "plan": Plan.objects.filter(slug=params.get("plan")).first(),
            "year": params["year"],
            "requested_by": user if user and user.is_authenticated else None,
        },
    )
    if created:
        _enqueue(built)
        return built
    built = BuiltReportFile.objects.select_for_update().get(pk=built.pk)
    _give_up_if_stale(built)
    if retry and built.status == BuildStatus.FAILED:
        _requeue(built)
    return built


def _requeue(built: BuiltReportFile) -> None:
    built.status = BuildStatus.QUEUED
    built.step = BuildStep.WAITING
    built.error = ""
    built.attempts += 1
    built.started_at = built.finished_at = None
    built.save(update_fields=["status", "step", "error", "attempts", "started_at", "finished_at"])
    _enqueue(built)


def built_file_content(built: BuiltReportFile) -> bytes | None:
    """The bytes of a done build, checked against its SHA-256; a file gone missing or
    altered is built again (it is a copy of the data, not a record): None then."""
    try:
        with built.file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError, OSError):
        content = None
    if content is not None and hashlib.sha256(content).hexdigest() == built.sha256:
        return content
    logger.warning("Built report file %s missing or altered: building it again", built.pk)
    with transaction.atomic():
        built = BuiltReportFile.objects.select_for_update().get(pk=built.pk)
        if built.status == BuildStatus.DONE:
            _requeue(built)
    return None


def _set_step(built: BuiltReportFile, step: BuildStep, **fields) -> None:
    """Record the step at once (outside any transaction), for the progress page."""
    built.step = step
    for name, value in fields.items():
        setattr(built, name, value)
    built.save(update_fields=["step", *fields])


def built_file_build(*, pk: int) -> str:
    """The worker's side: assemble the content, render it, store the file. Returns what
    happened (for the task's result)."""
    built = BuiltReportFile.objects.filter(pk=pk).first()
    if built is None or built.status != BuildStatus.QUEUED:
        return "skipped"
    _set_step(built, BuildStep.GATHERING, status=BuildStatus.RUNNING, started_at=timezone.now())
    try:
        content = assemble_content(built.kind, built.params)
        fingerprint = content_fingerprint(key=built.key, content=content)
        if fingerprint != built.fingerprint and not _relabel(built, fingerprint):
            return "superseded"
        _set_step(built, BuildStep.RENDERING)
        data = render_content(built.kind, built.format, content)
        _store(built, data)
    except Exception as exc:
        logger.exception("Report build %s failed", built.pk)
        built.status = BuildStatus.FAILED
        built.error = f"{type(exc).__name__}: {exc}"[:2000]
        built.finished_at = timezone.now()
        built.save(update_fields=["status", "error", "finished_at"])
        raise
    return "done"


def _relabel(built: BuiltReportFile, fingerprint: str) -> bool:
    """The data changed between the request and the build (or the request left the check
    to the worker): the file will be what the data now says, so it takes that
    fingerprint. If a build of it exists, this one goes: a done one is marked checked
    now, a failed one is replaced by this one."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                BuiltReportFile.objects.filter(pk=built.pk).update(fingerprint=fingerprint)
            built.fingerprint = fingerprint
            return True
        except IntegrityError:
            other = BuiltReportFile.objects.filter(fingerprint=fingerprint).first()
            if other is None or other.status != BuildStatus.FAILED:
                break
            other.delete()  # a failed build has no file
    BuiltReportFile.objects.filter(fingerprint=fingerprint, status=BuildStatus.DONE).update(
        checked_at=timezone.now()
    )
    BuiltReportFile.objects.filter(pk=built.pk).delete()
    return False


def _store(built: BuiltReportFile, data: bytes) -> None:
    """Save the file and mark the build done; the older files of the same download go."""
    built.file.save(_file_name(built), ContentFile(data), save=False)
    try:
        with transaction.atomic():
            built.sha256 = hashlib.sha256(data).hexdigest()
            built.status = BuildStatus.DONE
            built.step = BuildStep.READY
            built.finished_at = built.checked_at = timezone.now()
            built.save(
                update_fields=["file", "sha256", "status", "step", "finished_at", "checked_at"]
            )
            older = list(
                BuiltReportFile.objects.filter(
                    key=built.key, status__in=[BuildStatus.DONE, BuildStatus.FAILED]
                ).exclude(pk=built.pk)
            )
            files = [(b.file.storage, b.file.name) for b in older if b.file]
            BuiltReportFile.objects.filter(pk__in=[b.pk for b in older]).delete()
            transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    except BaseException:
        built.file.storage.delete(built.file.name)
        built.file = ""
        raise


def _file_name(built: BuiltReportFile) -> str:
    if built.kind == BuiltFileKind.PLAN:
        return f"bao-cao-{built.params['plan']}-{built.year}.{built.format}"
    return f"bao-cao-tong-hop-{built.year}.{built.format}"


def queue_position(built: BuiltReportFile) -> int:
    """How many builds wait before this one (0 when it runs)."""
    if built.status != BuildStatus.QUEUED:
        return 0
    return BuiltReportFile.objects.filter(
        status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING], created_at__lt=built.created_at
    ).count()


__all__ = [
    "BACKGROUND",
    "assemble_content",
    "built_file_build",
    "built_file_content",
    "built_file_request",
    "built_in_background",
    "consolidated_params",
    "content_fingerprint",
    "plan_params",
    "queue_position",
    "render_content",
    "request_key",
]
