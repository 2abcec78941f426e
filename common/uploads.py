"""Checks of uploaded Office files (.xlsx, .docx) before anything parses them.

An Office file is a zip package of XML parts. A small package can declare parts that
unpack to gigabytes (a zip bomb), thousands of parts, XML entity declarations that expand
("billion laughs"), macros or encrypted parts. :func:`check_office_package` refuses all of
these from the zip's central directory and by unpacking each part in 64 KB chunks, so a
hostile file costs milliseconds and well under a megabyte of memory:

- the file's size, the number of parts (read from the end record before :mod:`zipfile`
  builds an object per part) and the TOTAL declared unpacked size are bounded;
- every part's compression ratio is bounded (real documents stay far below it);
- every part must unpack to exactly its declared size (and CRC). Python's :mod:`zipfile`
  never *returns* more than the declared size, but ``ZipFile.read`` inflates a part
  whole before cutting it (a part declaring 1 KB that inflates to 1 GB takes seconds and
  a gigabyte), and openpyxl reads small parts that way. Once each part is known to match
  its declaration, the declared total bounds what openpyxl unpacks;
- no ``<!DOCTYPE`` or ``<!ENTITY`` anywhere in an XML part, found even when split across
  two chunks; XML parts not in UTF-8 (as Office writes them) are refused, so a UTF-16
  declaration cannot slip past the byte search;
- no VBA project (macros), no encrypted parts, only the compression methods Office uses.

Limits are per kind of upload: :data:`WORKBOOK_LIMITS` for the figure template and the
task table (the portal's template is about 10 KB), :data:`EVIDENCE_LIMITS` for evidence
files attached to a task report. Messages are in the catalogue (Vietnamese).
"""

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

MIB = 1024 * 1024  # sizes are in MiB, shown as "MB" as people say it
CHUNK = 64 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")
FORBIDDEN_XML = (b"<!DOCTYPE", b"<!ENTITY")
UTF8_NAMES = {"utf-8", "utf8", "us-ascii", "ascii"}
ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]*)["']""")
EOCD = b"PK\x05\x06"
EOCD_SIZE = 22
ZIP64_LOCATOR = b"PK\x06\x07"
ZIP64_LOCATOR_SIZE = 20
ZIP64_EOCD = b"PK\x06\x06"
ZIP64_EOCD_SIZE = 56
CENTRAL_HEADER_SIZE = 46
LOCAL_HEADER_SIZE = 30
MAX_NAME = 512  # bytes of a part's name (and extra fields) counted for the central directory
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc, and password-protected files


class UploadRefused(Exception):
    """The file cannot be read safely; nothing was changed."""


@dataclass(frozen=True)
class PackageLimits:
    """How large a package of one kind may be, and what to call a foreign file."""

    max_bytes: int  # the file itself
    max_unpacked: int  # sum of the parts' declared sizes
    max_parts: int
    max_ratio: int  # unpacked / compressed, for every part
    foreign: Promise  # message for a file that is not a package of this kind


WORKBOOK_LIMITS = PackageLimits(
    max_bytes=2 * MIB,
    max_unpacked=10 * MIB,
    max_parts=100,
    max_ratio=100,
    foreign=gettext_lazy("This is not an Excel workbook (.xlsx)."),
)
EVIDENCE_LIMITS = PackageLimits(
    max_bytes=10 * MIB,
    max_unpacked=50 * MIB,
    max_parts=1000,
    max_ratio=100,
    foreign=gettext_lazy("This is not a Word or Excel file (.docx, .xlsx)."),
)


def _mb(size: int) -> str:
    return f"{size / MIB:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def check_workbook(data: bytes, *, limits: PackageLimits = WORKBOOK_LIMITS) -> None:
    """Refuse ``data`` unless it is a safe .xlsx within ``limits``."""
    names = check_office_package(data, limits=limits)
    if "xl/workbook.xml" not in names:
        raise UploadRefused(str(limits.foreign))


def load_checked_workbook(data: bytes, *, data_only: bool) -> Workbook:
    """:func:`check_workbook`, then openpyxl in read-only mode, which parses a sheet only
    when it is read (rows with :func:`sheet_rows`)."""
    check_workbook(data)
    try:
        return load_workbook(
            io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds for malformed parts
        raise _unreadable(exc) from exc


def sheet_rows(ws, **options) -> Iterator[tuple]:
    """The rows of a read-only sheet as they are parsed (``options`` as for
    ``iter_rows``): every row from ``min_row``, whatever size the file claims, gaps as
    empty rows. Count rows while iterating: read-only empty cells have no ``.row``. A
    sheet that cannot be parsed raises :class:`UploadRefused`."""
    try:
        ws.reset_dimensions()
        yield from ws.iter_rows(**options)
    except Exception as exc:  # openpyxl raises many kinds for malformed parts
        raise _unreadable(exc) from exc


def active_worksheet(wb: Workbook):
    """The sheet Excel opens on, or the first worksheet when that is a chart sheet."""
    if wb.active in wb.worksheets:
        return wb.active
    if not wb.worksheets:
        raise UploadRefused(str(WORKBOOK_LIMITS.foreign))
    return wb.worksheets[0]


def _unreadable(exc: Exception) -> UploadRefused:
    return UploadRefused(_("The workbook cannot be read: %(error)s") % {"error": exc})


def check_office_package(source: bytes | io.IOBase, *, limits: PackageLimits) -> set[str]:
    """Raise :class:`UploadRefused` unless ``source`` (bytes or a binary file, read from
    its start) is an Office package within ``limits`` with no hostile content; return
    the names of its parts."""
    handle = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    try:
        if size > limits.max_bytes:
            raise UploadRefused(
                _("The file is too large (at most %(mb)s MB).") % {"mb": _mb(limits.max_bytes)}
            )
        head = handle.read(8)
        if head.startswith(OLE_MAGIC):
            raise UploadRefused(
                _(
                    "This is an old-format Office file (.xls, .doc) or a password-protected "
                    "file: save it as .xlsx or .docx without a password."
                )
            )
        if not head.startswith(b"PK\x03\x04"):
            raise UploadRefused(str(limits.foreign))
        _check_central_directory(handle, size, limits)
        try:
            archive = zipfile.ZipFile(handle)
            entries = archive.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, struct.error) as exc:
            raise UploadRefused(str(limits.foreign)) from exc
        _check_entries(entries, limits)
        for entry in entries:
            _check_part(handle, entry)
        return {entry.filename for entry in entries}
    finally:
        handle.seek(0)


def _too_many_parts(limits: PackageLimits) -> UploadRefused:
    return UploadRefused(
        _("The file has more than %(limit)s parts, far more than a real document: refused.")
        % {"limit": limits.max_parts}
    )


def _check_central_directory(handle, size: int, limits: PackageLimits) -> None:
    """Before :mod:`zipfile` builds an object per part: the end record's part count and
    central directory size must fit ``limits`` (zipfile reads the whole directory)."""
    tail_size = min(size, EOCD_SIZE + 65535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    position = tail.rfind(EOCD)
    if position < 0 or len(tail) - position < EOCD_SIZE:
        raise UploadRefused(str(limits.foreign))
    (_sig, _disk, _cd_disk, _here, count, cd_size, _offset, _comment) = struct.unpack(
        "<4s4H2LH", tail[position : position + EOCD_SIZE]
    )
    locator = position - ZIP64_LOCATOR_SIZE
    if locator >= 0 and tail[locator : locator + 4] == ZIP64_LOCATOR:
        # zipfile then takes the counts from the ZIP64 end record just before the locator
        record = tail[max(locator - ZIP64_EOCD_SIZE, 0) : locator]
        if len(record) < ZIP64_EOCD_SIZE or not record.startswith(ZIP64_EOCD):
            raise UploadRefused(str(limits.foreign))
        count, cd_size = struct.unpack("<2Q", record[32:48])
    if count > limits.max_parts or cd_size > limits.max_parts * (CENTRAL_HEADER_SIZE + MAX_NAME):
        raise _too_many_parts(limits)


def _check_entries(entries: list[zipfile.ZipInfo], limits: PackageLimits) -> None:
    if len(entries) > limits.max_parts:
        raise _too_many_parts(limits)
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names:
        raise UploadRefused(str(limits.foreign))
    if any(entry.filename.rsplit("/", 1)[-1].lower() == "vbaproject.bin" for entry in entries):
        raise UploadRefused(
            _("Files with macros are not accepted: save the file without macros (.xlsx, .docx).")
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise UploadRefused(
            _("The file is password-protected or encrypted: save it without a password.")
        )
    if any(
        entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for entry in entries
    ):
        raise UploadRefused(str(limits.foreign))
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_unpacked:
        raise UploadRefused(
            _(
                "The file unpacks to %(size)s MB, more than the %(limit)s MB allowed for "
                "this kind of file: refused."
            )
            % {"size": _mb(total), "limit": _mb(limits.max_unpacked)}
        )
    for entry in entries:
        if entry.file_size and entry.file_size > entry.compress_size * limits.max_ratio:
            raise UploadRefused(
                _(
                    "The part %(part)s of the file is compressed %(ratio)s times, far more "
                    "than a real document: refused."
                )
                % {
                    "part": entry.filename,
                    "ratio": entry.file_size // max(entry.compress_size, 1),
                }
            )


def _unpacked_chunks(handle, entry: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's unpacked bytes, a chunk at a time, inflated from its raw data here rather
    than by :mod:`zipfile`: ``ZipFile.read`` inflates a part whole before cutting it to the
    declared size (a part declaring 1 KB that inflates to 1 GB costs 1 GB and seconds).
    Refuses a part that unpacks to more than it declares, to less, or fails its CRC, so
    that afterwards the declared sizes bound what openpyxl unpacks."""
    handle.seek(entry.header_offset)
    header = handle.read(LOCAL_HEADER_SIZE)
    if len(header) != LOCAL_HEADER_SIZE or not header.startswith(b"PK\x03\x04"):
        raise _damaged(entry)
    name_size, extra_size = struct.unpack("<2H", header[26:30])
    handle.seek(entry.header_offset + LOCAL_HEADER_SIZE + name_size + extra_size)
    inflater = (
        zlib.decompressobj(-zlib.MAX_WBITS) if entry.compress_type == zipfile.ZIP_DEFLATED else None
    )
    remaining, pending, produced, crc = entry.compress_size, b"", 0, 0
    while True:
        if not pending and remaining:
            pending = handle.read(min(CHUNK, remaining))
            if not pending:
                raise _damaged(entry)
            remaining -= len(pending)
        if inflater is None:
            chunk, pending = pending, b""
        else:
            chunk = inflater.decompress(pending, CHUNK)
            pending = inflater.unconsumed_tail
        if not chunk and not pending and not remaining:
            break
        produced += len(chunk)
        if produced > entry.file_size:
            raise UploadRefused(
                _(
                    "The part %(part)s of the file unpacks to more than the size it declares: "
                    "refused."
                )
                % {"part": entry.filename}
            )
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if produced != entry.file_size or crc != entry.CRC or (inflater and not inflater.eof):
        raise _damaged(entry)


def _damaged(entry: zipfile.ZipInfo) -> UploadRefused:
    return UploadRefused(
        _("The part %(part)s of the file is damaged: save the file again and upload it.")
        % {"part": entry.filename}
    )


def _check_part(handle, entry: zipfile.ZipInfo) -> None:
    """Unpack one part in chunks (see :func:`_unpacked_chunks`); in an XML part, refuse a
    DOCTYPE or ENTITY declaration anywhere (also split across two chunks) and encodings
    other than UTF-8."""
    is_xml = entry.filename.lower().endswith(XML_SUFFIXES)
    keep = max(len(pattern) for pattern in FORBIDDEN_XML) - 1
    previous = b""
    for index, chunk in enumerate(_unpacked_chunks(handle, entry)):
        if not is_xml:
            continue
        if index == 0:
            _check_encoding(entry, chunk)
        window = (previous + chunk).upper()
        if any(pattern in window for pattern in FORBIDDEN_XML):
            raise UploadRefused(
                _(
                    "The part %(part)s of the file contains an XML DOCTYPE or ENTITY "
                    "declaration, which is not allowed: refused."
                )
                % {"part": entry.filename}
            )
        previous = chunk[-keep:]


def _check_encoding(entry: zipfile.ZipInfo, head: bytes) -> None:
    head = head.removeprefix(b"\xef\xbb\xbf")
    declared = ENCODING.match(head[:1024])
    if (
        head.startswith((b"\xff\xfe", b"\xfe\xff"))
        or b"\x00" in head[:4]
        or (declared and declared.group(1).decode().lower() not in UTF8_NAMES)
    ):
        raise UploadRefused(
            _(
                "The part %(part)s of the file is not written in UTF-8 as Office writes it: "
                "save the file again from Excel or Word."
            )
            % {"part": entry.filename}
        )
