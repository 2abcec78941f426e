"""Saving figures from an uploaded template: read the workbook, then the same service as
the figure page (``figures_save``), all or nothing. The outcome says what the upload page
shows: the file's refusal, errors per row, warnings to confirm, or success."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from common.uploads import UploadRefused

from .excel import read_figure_upload
from .selectors import place_indicators
from .services import FiguresInvalid, FiguresLocked, FiguresStale, figures_save


@dataclass
class UploadOutcome:
    saved: bool = False
    refused: str = ""  # the file itself cannot be used
    general: list[str] = field(default_factory=list)  # messages about the whole upload
    row_errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def figures_upload(
    *, place, data: bytes, user, confirm_warnings: bool, reason: str
) -> UploadOutcome:
    try:
        result = read_figure_upload(
            data, place=place, indicators=place_indicators(place=place).inputs
        )
    except UploadRefused as exc:
        return UploadOutcome(refused=str(exc))
    if result.errors:
        return UploadOutcome(row_errors=sorted(result.errors, key=lambda e: e[0]))
    try:
        figures_save(
            place=place,
            year=place.year,
            values=result.values,
            user=user,
            version=result.version,
            seen=None,
            confirm_warnings=confirm_warnings,
            reason=reason or _("Excel upload"),
        )
    except FiguresLocked as exc:
        return UploadOutcome(general=[str(exc)])
    except FiguresStale:
        stale = _(
            "Nothing was saved: the figures were changed after this template was "
            "downloaded. Download a fresh template and copy your values into it."
        )
        return UploadOutcome(general=[stale])
    except FiguresInvalid as exc:
        rows = [(result.rows.get(code, 0), m) for code, ms in exc.errors.items() for m in ms]
        return UploadOutcome(
            general=list(exc.general),
            row_errors=sorted(rows, key=lambda e: e[0]),
            warnings=[(result.rows.get(w.code, 0), w.message) for w in exc.warnings],
        )
    return UploadOutcome(saved=True)
