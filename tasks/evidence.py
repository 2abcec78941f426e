"""Evidence files are checked by their content, not only by their name; DOCX and XLSX
files also by the shared package checks (zip bombs, XML entities, macros:
common/uploads.py)."""

import os

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.uploads import EVIDENCE_LIMITS, UploadRefused, check_office_package

MAX_EVIDENCE_BYTES = EVIDENCE_LIMITS.max_bytes
OFFICE = {"docx", "xlsx"}
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
    if extension in OFFICE and detected in ("application/zip", *(ALLOWED[e] for e in OFFICE)):
        detected = _office_kind(upload)
    if detected != ALLOWED[extension]:
        raise ValidationError(
            _("%(name)s is not really a %(ext)s file: its content does not match its name.")
            % {"name": upload.name, "ext": extension.upper()},
            code="disguised",
        )
    return detected


def _office_kind(upload) -> str | None:
    """The Office type of a package that passes the package checks, judged by its parts;
    None for another kind of zip."""
    try:
        names = check_office_package(upload, limits=EVIDENCE_LIMITS)
    except UploadRefused as exc:
        raise ValidationError(
            _("%(name)s cannot be accepted: %(reason)s") % {"name": upload.name, "reason": exc},
            code="unsafe",
        ) from exc
    if "word/document.xml" in names:
        return ALLOWED["docx"]
    if "xl/workbook.xml" in names:
        return ALLOWED["xlsx"]
    return None
