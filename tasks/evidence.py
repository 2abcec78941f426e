"""Evidence files are checked by their content, not only by their name."""

import os

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


def check_evidence(upload) -> str:
    """Return the file's real content type, or raise a Vietnamese ValidationError."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("%(name)s is too large (at most %(mb)s MB).")
            % {"name": upload.name, "mb": MAX_EVIDENCE_BYTES // 2**20},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": upload.name}, code="empty")
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    if extension not in ALLOWED:
        raise ValidationError(
            _("%(name)s: only PDF, DOCX, XLSX, PNG and JPEG files are accepted.")
            % {"name": upload.name},
            code="type",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    detected = kind.mime if kind else None
    if detected in ("application/zip",) and extension in ("docx", "xlsx"):
        detected = _office_kind(upload)
    if detected != ALLOWED[extension]:
        raise ValidationError(
            _("%(name)s is not really a %(ext)s file: its content does not match its name.")
            % {"name": upload.name, "ext": extension.upper()},
            code="disguised",
        )
    return detected


def _office_kind(upload) -> str | None:
    import zipfile

    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return ALLOWED["docx"]
    if any(n.startswith("xl/") for n in names):
        return ALLOWED["xlsx"]
    return None
