"""Back up the database and the uploaded files into one archive, and restore it.

The archive (``.tar.gz``) holds:

- ``manifest.json``: format version, when and from which database vendor it was made, the
  applied migrations, and the SHA-256 of every other member;
- ``data.jsonl``: ``dumpdata`` of every model as JSON lines (:mod:`portal.backup_format`:
  Django's ``jsonl`` with times to the microsecond) (history tables, admin log and login
  attempts included; base managers, so nothing a default manager hides is left out), with
  natural keys for foreign keys only, so that content types and permissions (rebuilt by
  ``migrate``) are referred to by name while every other row keeps its primary key;
  content types, permissions and sessions themselves are left out;
- ``media/…``: every file under ``MEDIA_ROOT`` (task evidence, the stored PDF and Excel
  files of final reports), byte for byte.

JSON lines are database-neutral: a backup of SQLite restores into PostgreSQL and back.
The dump runs inside one transaction (REPEATABLE READ on PostgreSQL; on SQLite the
transaction holds the write lock, so writers wait the few seconds it takes), so the rows
are one consistent state; the files are read after it (a file deleted meanwhile is left
out).

A restore goes into a database migrated to the same migrations and holding no data (no
plans, no users), unless ``force``, which empties it first. Everything is checked before
anything is written (members, checksums, migrations, files that would be overwritten);
the rows and the files are then written in one transaction: a failure leaves the
database as it was and removes the files already copied.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from accounts.models import User
from plans.models import Plan

FORMAT = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
SERIALIZER = "kttt_jsonl"
MEDIA = "media"
# Rebuilt by `migrate` (content types, permissions) or short-lived (sessions).
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; nothing was written."""


@dataclass
class BackupSummary:
    path: Path
    objects: int
    media_files: int
    missing_files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.objects} rows and {self.media_files} media files written to {self.path}"
            f" ({self.path.stat().st_size} bytes)."
        )


@dataclass
class RestoreSummary:
    objects: int
    media_files: int
    created: str

    def summary(self) -> str:
        return (
            f"Restored {self.objects} rows and {self.media_files} media files "
            f"from the backup made at {self.created}."
        )


def dump_options() -> dict:
    """The ``dumpdata`` options of a backup; a test compares two dumps made with them."""
    if SERIALIZER not in serializers.get_serializer_formats():
        serializers.register_serializer(SERIALIZER, "portal.backup_format")
    return {
        "format": SERIALIZER,
        "natural_foreign": True,
        "use_base_manager": True,
        "exclude": EXCLUDED,
        "verbosity": 0,
    }


def applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _missing_referenced_files(root: Path) -> list[str]:
    """Names stored in FileFields whose file is not under MEDIA_ROOT."""
    from django.apps import apps
    from django.db.models import FileField

    missing = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, FileField):
                continue
            names = (
                model._base_manager.exclude(**{model_field.name: ""})
                .values_list(model_field.name, flat=True)
                .order_by()
            )
            missing += [name for name in names if name and not (root / name).is_file()]
    return sorted(set(missing))


def _begin_consistent_read() -> None:
    """One snapshot for the whole dump (the first statement of the transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def backup_create(*, output: Path) -> BackupSummary:
    """Write the database and MEDIA_ROOT into ``output`` (``.tar.gz``, mode 0600)."""
    output = Path(output)
    media_root = Path(settings.MEDIA_ROOT)
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="kttt-backup-") as tmp:
        data_path = Path(tmp) / DATA
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost:
                _begin_consistent_read()
            call_command("dumpdata", output=str(data_path), **dump_options())
            missing = _missing_referenced_files(media_root)
            migrations = applied_migrations()
        # The files are read after the transaction: on SQLite it holds the write lock,
        # and writers should not wait for MEDIA_ROOT to be compressed.
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "migrations": migrations,
            "sha256": {DATA: _sha256(data_path)},
        }
        files = 0
        partial.touch(mode=0o600, exist_ok=True)
        partial.chmod(0o600)
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(data_path, arcname=DATA)
                for path in _media_files(media_root):
                    name = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
                    try:
                        digest = _sha256(path)
                        archive.add(path, arcname=name)
                    except FileNotFoundError:  # deleted since it was listed
                        continue
                    manifest["sha256"][name] = digest
                    files += 1
                body = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(body), 0o600
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(body))
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        with data_path.open("rb") as handle:
            objects = sum(1 for line in handle if line.strip())
    partial.replace(output)
    return BackupSummary(output, objects, files, missing)


def _member_names(archive: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    members = {}
    for member in archive.getmembers():
        name = PurePosixPath(member.name)
        if (
            not member.isfile()
            or name.is_absolute()
            or ".." in name.parts
            or not (str(name) in (MANIFEST, DATA) or name.parts[0] == MEDIA and len(name.parts) > 1)
        ):
            raise BackupError(f"Not a backup of this portal: unexpected member {member.name!r}.")
        members[str(name)] = member
    return members


def _read_manifest(archive: tarfile.TarFile, members: dict) -> dict:
    if MANIFEST not in members or DATA not in members:
        raise BackupError("Not a backup of this portal: manifest.json or data.jsonl is missing.")
    try:
        manifest = json.load(archive.extractfile(members[MANIFEST]))
    except ValueError as exc:
        raise BackupError(f"The backup's manifest is not valid JSON: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r} (expected {FORMAT}).")
    if set(manifest.get("sha256", {})) != set(members) - {MANIFEST}:
        raise BackupError("The backup's members do not match its manifest.")
    return manifest


def _check_migrations(manifest: dict) -> None:
    theirs, ours = set(manifest["migrations"]), set(applied_migrations())
    if theirs == ours:
        return
    lines = ["The backup was made at other migrations than this database's."]
    if not ours:
        lines.append("Run `manage.py migrate` first.")
    else:
        if theirs - ours:
            lines.append("Only in the backup: " + ", ".join(sorted(theirs - ours)))
        if ours - theirs:
            lines.append("Only in this database: " + ", ".join(sorted(ours - theirs)))
        lines.append(
            "Restore with the version of the portal that made the backup (same migrations),"
            " then upgrade and migrate."
        )
    raise BackupError("\n".join(lines))


def _check_empty() -> None:
    plans, users = Plan.objects.count(), User.objects.count()
    if plans or users:
        raise BackupError(
            f"The database is not empty ({plans} plans, {users} users): a restore goes into an"
            " empty database (`manage.py migrate` on a new one). Use --force to delete"
            " everything it holds and replace it with the backup."
        )


def _extract(archive: tarfile.TarFile, members: dict, manifest: dict, into: Path) -> None:
    """Copy every member but the manifest under ``into``, checking its SHA-256."""
    for name, member in members.items():
        if name == MANIFEST:
            continue
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.extractfile(member) as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink, CHUNK)
        if _sha256(target) != manifest["sha256"][name]:
            raise BackupError(f"The backup is damaged: {name} does not match its checksum.")


def _media_conflicts(staged: Path, media_root: Path) -> list[str]:
    conflicts = []
    for path in _media_files(staged):
        target = media_root / path.relative_to(staged)
        if target.exists() and (not target.is_file() or _sha256(target) != _sha256(path)):
            conflicts.append(str(path.relative_to(staged)))
    return conflicts


def _copy_media(staged: Path, media_root: Path) -> int:
    """Copy the staged files; on failure remove those copied, then re-raise."""
    written: list[Path] = []
    try:
        for path in _media_files(staged):
            target = media_root / path.relative_to(staged)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            written.append(target)
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        raise
    return len(written)


def backup_restore(*, archive_path: Path, force: bool = False) -> RestoreSummary:
    """Load a backup into this database and MEDIA_ROOT (see the module docstring)."""
    media_root = Path(settings.MEDIA_ROOT)
    try:
        archive = tarfile.open(archive_path, "r:*")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Cannot read {archive_path}: {exc}") from exc
    with archive, tempfile.TemporaryDirectory(prefix="kttt-restore-") as tmp:
        members = _member_names(archive)
        manifest = _read_manifest(archive, members)
        _check_migrations(manifest)
        if not force:
            _check_empty()
        staged = Path(tmp)
        _extract(archive, members, manifest, staged)
        conflicts = _media_conflicts(staged / MEDIA, media_root)
        if conflicts and not force:
            raise BackupError(
                f"{len(conflicts)} files in MEDIA_ROOT ({media_root}) differ from the backup's"
                f" (e.g. {conflicts[0]}); use --force to overwrite them."
            )
        with (staged / DATA).open("rb") as handle:
            objects = sum(1 for line in handle if line.strip())
        with transaction.atomic():
            if force:
                # PostgreSQL refuses to TRUNCATE a table with deferred checks pending (rows
                # written earlier in an enclosing transaction): run them first.
                connection.check_constraints()
                call_command("flush", interactive=False, verbosity=0)
            # Natural keys of content types are looked up through a cache of ids, which a
            # flush (or an earlier database in this process) makes stale.
            ContentType.objects.clear_cache()
            # loaddata picks the format by the file's extension.
            fixture = (staged / DATA).rename(staged / f"data.{dump_options()['format']}")
            call_command("loaddata", str(fixture), verbosity=0)
            media_files = _copy_media(staged / MEDIA, media_root)
    return RestoreSummary(objects, media_files, manifest["created"])
