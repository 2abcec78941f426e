"""How a body writes its documents: the State format (Nghị định 30/2020/NĐ-CP, Phụ lục I)
or the Party format (Hướng dẫn 36-HD/VPTW, 2018), chosen from the issuing body's kind.

Everything is derived from the body's data (kind, name, parent, place) unless the body
records its own (``Agency.document_code``, ``header_name``, ``header_parent``); nothing is
tied to a province. The rules, by format:

=================  =====================================  ===================================
part               State (UBND, Sở, Bộ, mass org…)        Party (Tỉnh ủy, Huyện ủy, Ban…)
=================  =====================================  ===================================
top right          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM /   ĐẢNG CỘNG SẢN VIỆT NAM
                   Độc lập - Tự do - Hạnh phúc
line above issuer  its parent body ("ỦY BAN NHÂN DÂN      its Party organisation ("ĐẢNG BỘ
                   TỈNH LÂM ĐỒNG" over "SỞ TÀI CHÍNH")    TỈNH KON TUM" over "TỈNH ỦY"), or
                                                          its committee over a Ban
under the issuer   a short rule                          "*"
number             "Số: 12/BC-UBND" (colon, slash)        "Số 12-BC/TU" (hyphen, no colon)
signature          TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH /   T/M BAN THƯỜNG VỤ / BÍ THƯ
                   PHÓ CHỦ TỊCH; KT. GIÁM ĐỐC …
"Nơi nhận" ends    "- Lưu: VT, STC."                      "- Lưu Văn phòng Tỉnh ủy."
=================  =====================================  ===================================

A body at national level writes "Hà Nội" as its place. The Party's central organs (Ban
Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư) head their documents with their own name
alone over "*" ("Số 20-NQ/TW"), sign "T/M BAN CHẤP HÀNH TRUNG ƯƠNG" / "TỔNG BÍ THƯ" and
file at "Văn phòng Trung ương Đảng".
"""

import datetime
import re
import unicodedata

from plans.choices import AgencyKind, LocalityLevel
from plans.models import Agency, Locality

from .tree import PARTY, STATE, Signature

# Party committees by the word their name starts with, and their code in numbers.
COMMITTEE_CODES = [
    ("ban chấp hành trung ương", "TW"),
    ("bộ chính trị", "TW"),
    ("ban bí thư", "TW"),
    ("tỉnh ủy", "TU"),
    ("thành ủy", "TU"),
    ("thị ủy", "TU"),
    ("huyện ủy", "HU"),
    ("quận ủy", "QU"),
    ("đảng ủy", "ĐU"),
]
CAPITAL_PLACE = "Hà Nội"
SMALL_WORDS = {"và", "của", "các"}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def _upper(text: str) -> str:
    return _nfc(text).upper()


def document_format(agency: Agency) -> str:
    return PARTY if agency.kind == AgencyKind.PARTY else STATE


def committee_code(agency: Agency) -> str:
    """ "TU", "HU"… when ``agency`` is a Party committee (by its name), else ""."""
    name = _nfc(agency.name).casefold()
    for prefix, code in COMMITTEE_CODES:
        if name.startswith(prefix):
            return code
    return ""


def _committee(agency: Agency) -> Agency | None:
    """The Party committee ``agency`` is (or belongs to), following parents."""
    seen = set()
    body = agency
    while body is not None and body.pk not in seen:
        if committee_code(body):
            return body
        seen.add(body.pk)
        body = body.parent
    return None


def _top_place(locality: Locality) -> Locality:
    """The province-level place ``locality`` lies in (itself at province level)."""
    place, seen = locality, set()
    while (
        place.parent_id
        and place.parent.level != LocalityLevel.NATIONAL
        and place.parent_id not in seen
    ):
        seen.add(place.pk)
        place = place.parent
    return place


def _designation(locality: Locality) -> str:
    """ "tỉnh Kon Tum", "thành phố Hà Nội"."""
    word = {
        LocalityLevel.PROVINCE: "tỉnh",
        LocalityLevel.CITY: "thành phố",
        LocalityLevel.DISTRICT: "huyện",
        LocalityLevel.COMMUNE: "xã",
    }.get(locality.level, "")
    return f"{word} {locality.name}".strip()


def _without_place(name: str, locality: Locality) -> str:
    """The name without its place at the end: "Tỉnh ủy Kon Tum" → "Tỉnh ủy"."""
    name = _nfc(name).strip()
    for suffix in (_designation(locality), locality.name):
        if suffix and name.casefold().endswith(" " + suffix.casefold()):
            return name[: -len(suffix) - 1].strip()
    return name


def header_lines(agency: Agency) -> tuple[str, str]:
    """(the line above the issuer, the issuer) in capitals, as the header writes them."""
    parent_line = agency.header_parent.strip()
    name_line = agency.header_name.strip()
    if parent_line == "-":
        parent_line = ""
    elif not parent_line:
        parent_line = _derived_parent_line(agency)
    if not name_line:
        name_line = _derived_name_line(agency, parent_line)
    return _upper(parent_line), _upper(name_line)


def _derived_parent_line(agency: Agency) -> str:
    if agency.kind == AgencyKind.PARTY and committee_code(agency):
        if agency.locality.level == LocalityLevel.NATIONAL or committee_code(agency) == "TW":
            return ""
        return f"Đảng bộ {_designation(_top_place(agency.locality))}"
    if agency.parent_id:
        return agency.parent.name
    return ""


def _derived_name_line(agency: Agency, parent_line: str) -> str:
    name = _nfc(agency.name)
    if agency.kind == AgencyKind.PARTY and committee_code(agency):
        top = _top_place(agency.locality)
        if top.pk == agency.locality_id and parent_line:
            return _without_place(name, agency.locality)  # "TỈNH ỦY" under "ĐẢNG BỘ TỈNH…"
        return name
    if parent_line and agency.kind != AgencyKind.PARTY:
        return _without_place(name, agency.locality)  # "SỞ TÀI CHÍNH" under its UBND
    if agency.parent_id and agency.kind == AgencyKind.PARTY:
        # "Ban Tuyên giáo Tỉnh ủy" under "TỈNH ỦY KON TUM": "BAN TUYÊN GIÁO"
        committee = _committee(agency.parent)
        if committee is not None:
            short = _without_place(committee.name, committee.locality)
            if name.casefold().endswith(" " + short.casefold()):
                return name[: -len(short) - 1]
    return name


def _initials(name: str) -> str:
    """ "Sở Kế hoạch và Đầu tư" → "SKHĐT" (Đ kept, other marks dropped)."""
    letters = []
    for word in re.split(r"[\s\-–,]+", _nfc(name)):
        if not word or word.casefold() in SMALL_WORDS or not word[0].isalpha():
            continue
        first = unicodedata.normalize("NFD", word[0].upper())[0]
        letters.append(first)
    return "".join(letters)


def document_code(agency: Agency) -> str:
    """The body's abbreviation in document numbers: "UBND", "STC", "TU", "HU"."""
    if agency.document_code.strip():
        return agency.document_code.strip()
    if agency.kind == AgencyKind.PEOPLES_COMMITTEE:
        return "UBND"
    if agency.kind == AgencyKind.PEOPLES_COUNCIL:
        return "HĐND"
    name = _without_place(agency.name, agency.locality)
    name = re.sub(
        r"\s+(tỉnh|thành phố|huyện|thị xã|quận|xã|phường)$", "", name, flags=re.IGNORECASE
    )
    if agency.kind == AgencyKind.PARTY:
        own = committee_code(agency)
        if own:
            return own
        committee = _committee(agency.parent) if agency.parent_id else None
        if committee is not None:
            short = _without_place(committee.name, committee.locality)
            if name.casefold().startswith("ban thường vụ"):
                return document_code(committee)
            if name.casefold().endswith(" " + short.casefold()):
                name = name[: -len(short) - 1]
            return _initials(name) + document_code(committee)
    return _initials(name) or "BC"


def report_code(agency: Agency) -> str:
    """What follows the number of a report: "BC-UBND" (State), "BC/TU" (Party)."""
    code = document_code(agency)
    return f"BC/{code}" if document_format(agency) == PARTY else f"BC-{code}"


def place_of(agency: Agency) -> str:
    """The place a body writes before the date: its province, city, district or commune
    ("Hà Nội" for a national body)."""
    if agency.locality.level == LocalityLevel.NATIONAL:
        return CAPITAL_PLACE
    return agency.locality.name


def _lead_word(agency: Agency) -> str:
    return _nfc(agency.name).casefold()


def default_signature(agency: Agency) -> Signature:
    """The signature block a body of this kind uses when a deputy signs for its head."""
    name = _lead_word(agency)
    kind = agency.kind
    if kind == AgencyKind.PARTY:
        if committee_code(agency) == "TW":  # "T/M BAN CHẤP HÀNH TRUNG ƯƠNG" / "TỔNG BÍ THƯ"
            organ = re.sub(r"\s+đảng$", "", _nfc(agency.name), flags=re.IGNORECASE)
            return Signature(f"T/M {_upper(organ)}", "", "TỔNG BÍ THƯ", "")
        if committee_code(agency) or name.startswith("ban thường vụ"):
            return Signature("T/M BAN THƯỜNG VỤ", "", "BÍ THƯ", "")
        if name.startswith("ban cán sự"):
            return Signature("T/M BAN CÁN SỰ ĐẢNG", "", "BÍ THƯ", "")
        if name.startswith("đảng đoàn"):
            return Signature("T/M ĐẢNG ĐOÀN", "", "BÍ THƯ", "")
        if name.startswith("văn phòng"):
            return Signature("", "K/T CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "")
        return Signature("", "K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "")
    if kind == AgencyKind.PEOPLES_COMMITTEE:
        return Signature("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "")
    if kind == AgencyKind.PEOPLES_COUNCIL:
        return Signature("TM. THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "")
    if kind == AgencyKind.CENTRAL:
        if name.startswith("chính phủ"):
            return Signature("TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "")
        return Signature("", "", "THỦ TRƯỞNG CƠ QUAN", "")
    if kind == AgencyKind.MINISTRY:
        return Signature("", "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "")
    if kind == AgencyKind.COOPERATIVE_ALLIANCE:
        return Signature("TM. BAN CHẤP HÀNH", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "")
    if kind == AgencyKind.STEERING_COMMITTEE:
        return Signature("TM. BAN CHỈ ĐẠO", "KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "")
    if kind == AgencyKind.MASS_ORGANISATION:
        if "mặt trận" in name:
            return Signature("TM. BAN THƯỜNG TRỰC", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "")
        if "đoàn" in name.split()[:2] or name.startswith("tỉnh đoàn"):
            return Signature("TM. BAN THƯỜNG VỤ", "", "PHÓ BÍ THƯ", "")
        return Signature("TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "")
    return _head_signature(name)


# The head of a service by the word its name starts with: (head, deputy).
HEADS = [
    ("sở", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("văn phòng", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"),
    ("ban", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"),
    ("phòng", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"),
    ("cục", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),
    ("chi cục", "CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG"),
    ("trường", "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"),
    ("báo", "TỔNG BIÊN TẬP", "PHÓ TỔNG BIÊN TẬP"),
    ("thanh tra", "CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA"),
    ("bảo hiểm", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("ngân hàng", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("đài", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("trung tâm", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
]


def _head_signature(name: str) -> Signature:
    for word, head, deputy in sorted(HEADS, key=lambda h: -len(h[0])):
        if name == word or name.startswith(word + " "):
            return Signature("", f"KT. {head}", deputy, "")
    return Signature("", "", "THỦ TRƯỞNG CƠ QUAN", "")


def archive_line(agency: Agency, *, drafter: Agency | None = None) -> str:
    """The last line of "Nơi nhận": "Lưu: VT, STC." (State, with the drafting unit's
    code when another body drafted it) or "Lưu Văn phòng Tỉnh ủy." (Party)."""
    if document_format(agency) == PARTY:
        committee = _committee(agency)
        if committee is not None and committee_code(committee) == "TW":
            return "Lưu Văn phòng Trung ương Đảng."
        if committee is not None and committee.pk == agency.pk:
            return f"Lưu Văn phòng {_without_place(committee.name, committee.locality)}."
        return f"Lưu {agency.name}."
    if drafter is not None and drafter.pk != agency.pk:
        return f"Lưu: VT, {document_code(drafter)}."
    return "Lưu: VT."


def format_name(fmt: str) -> str:
    return "Hướng dẫn 36-HD/VPTW" if fmt == PARTY else "Nghị định 30/2020/NĐ-CP"


def as_of_place(agency: Agency, date: datetime.date) -> tuple[Agency, str]:
    """The body as the mergers stand on ``date`` and the place it writes: both follow
    the same body, so issuer and place never disagree."""
    body = agency.current_as_of(date)
    return body, place_of(body)
