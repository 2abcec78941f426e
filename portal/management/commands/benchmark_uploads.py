"""Measure how fast, and with how little memory, hostile Office files are refused by the
figure upload, the task-table import and the evidence check (common/uploads.py).

    python manage.py benchmark_uploads            # every hostile file, every entry point
    python manage.py benchmark_uploads --only zip-bomb late-doctype

Each file is built in memory here, written to a temporary directory, and refused in a
fresh child process, which reports the time of the refusal, the peak of Python's
allocations during it (tracemalloc) and how much the process's peak resident size
(getrusage maxrss) grew. Nothing touches the database. The builders are also used by
tests/security/test_files.py.
"""

import argparse
import io
import json
import resource
import struct
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

MIB = 1024 * 1024
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# --- builders ----------------------------------------------------------------------------


def raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand from (name, raw data, CRC, declared size, method): the
    declared size and CRC may lie, as a hostile file's do."""
    out = io.BytesIO()
    central = []
    for name, body, crc, size, method in entries:
        offset = out.tell()
        encoded = name.encode()
        header = (0, method, 0, 0x21, crc, len(body), size, len(encoded), 0)
        out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, *header) + encoded + body)
        central.append(
            struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, *header, 0, 0, 0, 0, offset)
            + encoded
        )
    start = out.tell()
    out.write(b"".join(central))
    size = out.tell() - start
    out.write(
        struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), size, start, 0)
    )
    return out.getvalue()


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def package(parts: dict[str, bytes], raw: dict[str, tuple[bytes, int, int]] | None = None) -> bytes:
    """A zip of ``parts`` (deflated) and ``raw`` parts given as (deflate data, CRC, declared
    size), in that order."""
    entries = [
        (n, deflate(d), zlib.crc32(d), len(d), zipfile.ZIP_DEFLATED) for n, d in parts.items()
    ]
    for name, (body, crc, size) in (raw or {}).items():
        entries.append((name, body, crc, size, zipfile.ZIP_DEFLATED))
    return raw_zip(entries)


def workbook_parts(sheets: int = 1) -> dict[str, bytes]:
    """The parts of an ordinary openpyxl workbook with ``sheets`` sheets."""
    from openpyxl import Workbook

    wb = Workbook()
    for index in range(2, sheets + 1):
        wb.create_sheet(f"Sheet{index}")
    buffer = io.BytesIO()
    wb.save(buffer)
    archive = zipfile.ZipFile(buffer)
    return {name: archive.read(name) for name in archive.namelist()}


def docx_parts(text: str = "Báo cáo kết quả") -> dict[str, bytes]:
    """The parts of a minimal Word document."""
    return {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" '
            b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/word/document.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{WORD_NS}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
            "</w:body></w:document>"
        ).encode(),
    }


def sheet_xml(size: int) -> bytes:
    """A worksheet of about ``size`` bytes of numeric cells (what openpyxl turns into
    objects: ~65 000 cells per MiB)."""
    row = b"<row>" + b"<c><v>1</v></c>" * 100 + b"</row>"
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}"><sheetData>'
    return head.encode() + row * (size // len(row)) + b"</sheetData></worksheet>"


def many_sheets(count: int = 38, size: int = MIB) -> bytes:
    """About 100 KB: ``count`` sheets of 1 MiB each (the report's 38-sheet file)."""
    parts = workbook_parts(count)
    body = sheet_xml(size)
    for index in range(1, count + 1):
        parts[f"xl/worksheets/sheet{index}.xml"] = body
    return package(parts)


def _zeros_deflated(size: int) -> tuple[bytes, int]:
    """``size`` zero bytes (a multiple of 1 MiB) deflated, and their CRC, built from one
    compressed MiB repeated (a full flush makes blocks independent)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(b"\0" * MIB) + packer.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    crc, zeros = 0, b"\0" * MIB
    for _ in range(size // MIB):
        crc = zlib.crc32(zeros, crc)
    return block * (size // MIB) + end, crc


def zip_bomb(size: int = 1024 * MIB) -> bytes:
    """A classic zip bomb: one sheet of 1 GiB of zeros, about 1 MB compressed."""
    parts = workbook_parts()
    del parts["xl/worksheets/sheet1.xml"]
    body, crc = _zeros_deflated(size)
    return package(parts, {"xl/worksheets/sheet1.xml": (body, crc, size)})


def lying_size(declared: int = 1024, size: int = 1024 * MIB) -> bytes:
    """A part that declares ``declared`` bytes (with the CRC of its first ``declared``
    bytes) but inflates to ``size``: it passes every check of the declared sizes."""
    parts = workbook_parts()
    del parts["xl/styles.xml"]
    body, _crc = _zeros_deflated(size)
    crc = zlib.crc32(b"\0" * declared)
    return package(parts, {"xl/styles.xml": (body, crc, declared)})


def many_parts(count: int = 10_000, base: dict[str, bytes] | None = None) -> bytes:
    """A workbook with ``count`` extra empty parts."""
    parts = dict(base or workbook_parts())
    for index in range(count):
        parts[f"xl/p{index}.xml"] = b""
    return package(parts)


def billion_laughs(levels: int = 10) -> bytes:
    """A sheet whose entities expand tenfold per level (10**levels "lol"s)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    ]
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{"".join(entities)}]>'
        f'<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        f"<is><t>&lol{levels - 1};</t></is></c></row></sheetData></worksheet>"
    ).encode()
    parts = workbook_parts()
    parts["xl/worksheets/sheet1.xml"] = sheet
    return package(parts)


def late_doctype(comment: int = 10 * 1024, part: str = "xl/workbook.xml", parts=None) -> bytes:
    """A DOCTYPE after a ``comment``-byte comment (a 4 KB head check misses it)."""
    parts = dict(parts or workbook_parts())
    original = parts[part]
    body = original.split(b"?>", 1)[1] if original.startswith(b"<?xml") else original
    parts[part] = (
        b'<?xml version="1.0" encoding="UTF-8"?><!--'
        + b"x" * comment
        + b'--><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + body
    )
    return package(parts)


HOSTILE = {
    "38-sheets": many_sheets,
    "zip-bomb": zip_bomb,
    "lying-size": lying_size,
    "many-parts": many_parts,
    "billion-laughs": billion_laughs,
    "late-doctype": late_doctype,
}


# --- measuring ---------------------------------------------------------------------------


def refuse(kind: str, data: bytes) -> str:
    """Pass ``data`` to an entry point; return its refusal message ("" if accepted)."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from common.uploads import UploadRefused
    from targets.excel import read_figure_upload
    from tasks.evidence import check_evidence
    from tasks.importing import read_task_table

    try:
        if kind == "figures":
            read_figure_upload(data, place=None, indicators=[])
        elif kind == "tasks":
            read_task_table(data, plan=None)
        else:
            check_evidence(SimpleUploadedFile("minh-chung.xlsx", data))
    except UploadRefused as exc:
        return str(exc)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def measure(kind: str, data: bytes) -> dict:
    """Time, tracemalloc peak and maxrss growth of one refusal, in this process."""
    refuse(kind, b"not a workbook")  # load modules and the catalogue first
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    message = refuse(kind, data)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    refuse(kind, data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "seconds": seconds,
        "peak_bytes": peak,
        "maxrss_growth_kib": after - before,
        "message": message,
    }


class Command(BaseCommand):
    help = "Time and peak memory of refusing hostile Office files (zip bombs, entities…)."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="+", choices=sorted(HOSTILE), default=sorted(HOSTILE))
        parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)

    def handle(self, *args, only, child, **options):
        from django.utils import translation

        translation.activate(settings.LANGUAGE_CODE)
        if child:
            kind, path = child
            self.stdout.write(json.dumps(measure(kind, Path(path).read_bytes())))
            return
        failures = 0
        self.stdout.write(
            f"{'file':16} {'size':>9} {'entry point':12} {'time':>9} "
            f"{'py peak':>9} {'rss +':>9}  message"
        )
        with tempfile.TemporaryDirectory() as directory:
            for name in only:
                data = HOSTILE[name]()
                path = Path(directory) / f"{name}.xlsx"
                path.write_bytes(data)
                for kind in ("figures", "tasks", "evidence"):
                    result = self._child(kind, path)
                    refused = bool(result["message"])
                    failures += not refused
                    self.stdout.write(
                        f"{name:16} {len(data) / 1024:7.0f} KB {kind:12} "
                        f"{result['seconds'] * 1000:6.1f} ms "
                        f"{result['peak_bytes'] / 1024:6.0f} KB "
                        f"{result['maxrss_growth_kib']:6d} KB  "
                        + (result["message"][:70] if refused else "NOT REFUSED")
                    )
        if failures:
            raise CommandError(f"{failures} hostile file(s) were not refused")

    def _child(self, kind: str, path: Path) -> dict:
        manage = Path(settings.BASE_DIR) / "manage.py"
        output = subprocess.run(
            [sys.executable, str(manage), "benchmark_uploads", "--child", kind, str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(output.strip().splitlines()[-1])
