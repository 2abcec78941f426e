"""Matching agency names as people write them: the one normaliser, used by the task
importer and the seeding of the plans, and the kind a new agency gets from its name.

``agency_key(name)`` reduces a name to what it means. Two spellings of one body give the
same key; the key is for comparing, never for showing. In order:

1. Unicode NFC (NFD input, as some editors and macOS produce, becomes the same text),
   then case folding.
2. A remark in brackets is dropped: "Sở Kế hoạch và Đầu tư (cơ quan thường trực)".
3. Dots inside an abbreviation are dropped ("U.B.N.D", "KH.ĐT"); "TP." and "TX." before a
   name are "thành phố", "thị xã".
4. The tone mark of "oa", "oe", "uy" at the end of a syllable sits on the first vowel:
   "hoá" = "hóa", "Uỷ" = "Ủy" (the old and the new placement are both in use).
5. Punctuation is a space ("&", "-", ",", "/", "."), and the small word "và" is dropped,
   since spellings drop it: "Sở Kế hoạch Đầu tư", "Sở Văn hóa - Thể thao và Du lịch".
6. The abbreviations below are spelled out, with or without "&", "-", spaces or dots
   between their parts ("KH&ĐT", "KH-ĐT", "KHĐT", "KH và ĐT", "K.H&Đ.T"), and with "D" for
   "Đ" (keyboards without Vietnamese input write "KH&DT", "HDND").

============================  =============================================
written                       meaning
============================  =============================================
KH&ĐT                         Kế hoạch và Đầu tư
Sở TC, Bộ TC                  Tài chính (only after "Sở" or "Bộ": TC alone is ambiguous)
Phòng TC-KH                   Phòng Tài chính - Kế hoạch
TT&TT                         Thông tin và Truyền thông
NN&PTNT                       Nông nghiệp và Phát triển nông thôn
NN&MT                         Nông nghiệp và Môi trường (the department merged in 2025)
TN&MT                         Tài nguyên và Môi trường
LĐ-TB&XH                      Lao động - Thương binh và Xã hội
GD&ĐT                         Giáo dục và Đào tạo
VH-TT&DL, VH, TT&DL           Văn hóa, Thể thao và Du lịch (also "VH, Thể thao và Du lịch")
TT&DL                         Thể thao và Du lịch
KH&CN                         Khoa học và Công nghệ
GTVT                          Giao thông vận tải
UBMTTQVN, UBMTTQ, MTTQVN      Ủy ban Mặt trận Tổ quốc (Việt Nam), Mặt trận Tổ quốc (Việt
MTTQ, TQVN                    Nam), Mặt trận Tổ quốc, Tổ quốc Việt Nam
UBND, HĐND                    Ủy ban nhân dân, Hội đồng nhân dân
UB                            Ủy ban (after the longer ones: "UB MTTQ")
LHHTX, HTX, LM                Liên hiệp hợp tác xã, Hợp tác xã, Liên minh
KTTT                          Kinh tế tập thể
BCĐ, ĐMPT, BTV                Ban Chỉ đạo, đổi mới phát triển, Ban Thường vụ
PT-TH, PT&TH                  Phát thanh - Truyền hình
NHNN, NHCSXH                  Ngân hàng Nhà nước, Ngân hàng Chính sách xã hội
BHXH                          Bảo hiểm xã hội
LĐLĐ, HLHPN, CCB, TNCS        Liên đoàn Lao động, Hội Liên hiệp Phụ nữ, Cựu chiến binh,
                              Thanh niên Cộng sản
TW, VPTW                      Trung ương, Văn phòng Trung ương
TP, TX, VN                    thành phố, thị xã, Việt Nam
============================  =============================================

``group_key(name)`` goes one step further, for matching a collective phrase against an
existing agency of kind GROUP only: the list of lower-level units after "các" is one
thing, whichever units it names. "UBND các huyện, thị xã, thành phố", "UBND các huyện,
thành phố" and "Ủy ban nhân dân các quận, huyện" all mean the People's Committees of the
district level of the locality, and a province's documents name that level by the units
it happens to have; so a table that writes one of them is matched to the group the
locality already has under another. Outside that (two bodies that are not groups, a
group the locality does not have), the difference stays: "các xã, phường, thị trấn"
(commune level) is never "các huyện, thành phố", and "Các huyện ủy, thành ủy, đảng ủy
trực thuộc Tỉnh ủy" is not "Các huyện ủy, thành ủy".

``locality_bare_key(key, locality)`` drops the locality from the end of a key ("… tỉnh",
"… tỉnh Đắk Nông", "… Đắk Nông"): within one locality "Sở Tư pháp tỉnh" is "Sở Tư pháp".

``agency_kind_for(name)`` is the kind a new agency gets from its name (``KIND_RULES``):
a name with "và các" ("X và các Y") is a group; otherwise the first rule whose pattern
matches the beginning of the name's key wins, and a name no rule fits is "other".
"""

import re
import unicodedata

from .choices import AgencyKind, LocalityLevel

# (written, meaning); the parts of "written" may be joined or split by "&", "-", spaces
# or dots. Longer abbreviations come before the shorter ones they contain.
ABBREVIATIONS = [
    ("UBMTTQVN", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    ("UBMTTQ", "Ủy ban Mặt trận Tổ quốc"),
    ("MTTQVN", "Mặt trận Tổ quốc Việt Nam"),
    ("MTTQ", "Mặt trận Tổ quốc"),
    ("TQVN", "Tổ quốc Việt Nam"),
    ("UBND", "Ủy ban nhân dân"),
    ("HĐND", "Hội đồng nhân dân"),
    ("UB", "Ủy ban"),
    ("LHHTX", "Liên hiệp hợp tác xã"),
    ("HTX", "hợp tác xã"),
    ("LM", "Liên minh"),
    ("KH&ĐT", "Kế hoạch và Đầu tư"),
    ("Sở TC", "Sở Tài chính"),
    ("Bộ TC", "Bộ Tài chính"),
    ("Phòng TC-KH", "Phòng Tài chính - Kế hoạch"),
    ("VH-TT&DL", "Văn hóa, Thể thao và Du lịch"),
    ("TT&DL", "Thể thao và Du lịch"),
    ("TT&TT", "Thông tin và Truyền thông"),
    ("NN&PTNT", "Nông nghiệp và Phát triển nông thôn"),
    ("NN&MT", "Nông nghiệp và Môi trường"),
    ("TN&MT", "Tài nguyên và Môi trường"),
    ("LĐ-TB&XH", "Lao động - Thương binh và Xã hội"),
    ("GD&ĐT", "Giáo dục và Đào tạo"),
    ("KH&CN", "Khoa học và Công nghệ"),
    ("GTVT", "Giao thông vận tải"),
    ("PT&TH", "Phát thanh và Truyền hình"),
    ("NHCSXH", "Ngân hàng Chính sách xã hội"),
    ("NHNN", "Ngân hàng Nhà nước"),
    ("BHXH", "Bảo hiểm xã hội"),
    ("LĐLĐ", "Liên đoàn Lao động"),
    ("HLHPN", "Hội Liên hiệp Phụ nữ"),
    ("CCB", "Cựu chiến binh"),
    ("TNCS", "Thanh niên Cộng sản"),
    ("BCĐ", "Ban Chỉ đạo"),
    ("ĐMPT", "đổi mới phát triển"),
    ("BTV", "Ban Thường vụ"),
    ("KTTT", "kinh tế tập thể"),
    ("VPTW", "Văn phòng Trung ương"),
    ("TW", "Trung ương"),
    ("TP", "thành phố"),
    ("TX", "thị xã"),
    ("VN", "Việt Nam"),
]

# (kind, pattern at the start of the key): the first match wins, so the narrower rules
# come first ("Các …" before "Sở …", "Đảng đoàn HĐND" before "HĐND", "Bộ Chính trị" before
# "Bộ …"). Patterns are written in key form: lower case, no "và", no punctuation.
_LEVEL_PARTY = r"(?:tỉnh|thành|huyện|thị|quận|đảng) ủy"
KIND_RULES = [
    (
        AgencyKind.GROUP,
        r"các |thành viên |(?:ủy ban nhân dân|hội đồng nhân dân|trưởng|thủ trưởng|lãnh đạo"
        r"|bí thư) các ",  # "Các Sở, ban, ngành", "UBND các huyện" (and "X và các Y": below)
    ),
    (
        AgencyKind.CENTRAL,
        r"(?:chính phủ|thủ tướng|quốc hội|ủy ban thường vụ quốc hội|chủ tịch nước"
        r"|văn phòng (?:trung ương|chính phủ|quốc hội|chủ tịch nước))\b",
    ),
    # The Party's central organs issue Party documents ("Nghị quyết số 20-NQ/TW").
    (AgencyKind.PARTY, r"(?:ban chấp hành trung ương|bộ chính trị|ban bí thư)\b"),
    (AgencyKind.MINISTRY, r"bộ (?!chỉ huy|đội)"),
    (
        AgencyKind.PARTY,
        rf"{_LEVEL_PARTY}|đảng bộ|đảng đoàn|ban cán sự đảng|chi bộ|ban chấp hành đảng bộ"
        r"|ban (?:tuyên giáo|dân vận|tổ chức|nội chính)\b"
        rf"|(?:ban thường vụ|ủy ban kiểm tra|văn phòng|ban \w+) .*\b{_LEVEL_PARTY}\b",
    ),
    (AgencyKind.PEOPLES_COUNCIL, r"(?:thường trực |chủ tịch )?hội đồng nhân dân\b"),
    (AgencyKind.PEOPLES_COMMITTEE, r"(?:thường trực |chủ tịch )?ủy ban nhân dân\b"),
    (
        AgencyKind.MASS_ORGANISATION,
        r"(?:ủy ban )?mặt trận|hội nông dân|hội liên hiệp phụ nữ|hội phụ nữ"
        r"|(?:ban chấp hành |ban thường vụ )?(?:đoàn thanh niên|tỉnh đoàn|thành đoàn|huyện đoàn)"
        r"|liên đoàn lao động|công đoàn|hội cựu chiến binh|hội liên hiệp thanh niên",
    ),
    (AgencyKind.DEPARTMENT, r"(?:sở|phòng) |ban dân tộc\b"),
    (AgencyKind.COOPERATIVE_ALLIANCE, r"liên minh hợp tác xã"),
    (AgencyKind.STEERING_COMMITTEE, r"ban chỉ đạo"),
    (AgencyKind.BANK, r"(?:chi nhánh )?ngân hàng"),
    (
        AgencyKind.SCHOOL,
        r"trường |học viện |trung tâm .*\b(?:đào tạo|bồi dưỡng|giáo dục nghề nghiệp|dạy nghề)",
    ),
    (AgencyKind.MEDIA, r"(?:báo|đài|tạp chí) |.*\b(?:phát thanh|truyền thanh|truyền hình)\b"),
]

_TONES = {
    # tone mark on the second vowel -> on the first, for "oa", "oe", "uy" ending a syllable
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
_TONE_PATTERN = re.compile("(" + "|".join(_TONES) + r")(?!\w)")
_DISTRICT_UNITS = r"(?:huyện|quận|thị xã|thành phố)"
_COMMUNE_UNITS = r"(?:xã|phường|thị trấn|đặc khu)"
_DISTRICT_PARTY = r"(?:huyện|quận|thị|thành) ủy"
GROUP_LEVELS = [  # the Party committees first: "các huyện ủy" is not "các huyện"
    (re.compile(rf"\bcác {_DISTRICT_PARTY}(?: {_DISTRICT_PARTY})*\b"), "các <cấp ủy cấp huyện>"),
    (re.compile(rf"\bcác {_DISTRICT_UNITS}(?: {_DISTRICT_UNITS})*\b"), "các <cấp huyện>"),
    (re.compile(rf"\bcác {_COMMUNE_UNITS}(?: {_COMMUNE_UNITS})*\b"), "các <cấp xã>"),
]
LEVEL_WORDS = {
    LocalityLevel.PROVINCE: "tỉnh",
    LocalityLevel.CITY: "thành phố",
    LocalityLevel.DISTRICT: "huyện",
    LocalityLevel.COMMUNE: "xã",
}


def _plain(text: str) -> str:
    """Steps 1 to 5 of the module docstring: the text without the abbreviations."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"\b(tp|tx)\.", r"\1 ", text)
    text = re.sub(r"(?<=\w)\.(?=\w)", "", text)
    text = _TONE_PATTERN.sub(lambda m: _TONES[m[1]], text)
    text = re.sub(r"[\W_]+", " ", text)
    text = re.sub(r"\bvà\b", " ", text)
    return " ".join(text.split())


def _abbreviation_pattern(written: str) -> re.Pattern:
    parts = _plain(written).split()
    letters = [re.escape(p).replace("đ", "[đd]") for p in parts]
    return re.compile(r"\b" + r" ?".join(letters) + r"\b")


_EXPANSIONS = [(_abbreviation_pattern(w), _plain(m)) for w, m in ABBREVIATIONS]
_EXPANSIONS.append((re.compile(r"\bvh(?= thể thao)"), "văn hóa"))  # "Sở VH, Thể thao và DL"
_KIND_PATTERNS = [(kind, re.compile(pattern)) for kind, pattern in KIND_RULES]


def agency_key(name: str) -> str:
    """What a name means, for comparing spellings (see the module docstring)."""
    key = _plain(name)
    for pattern, meaning in _EXPANSIONS:
        key = pattern.sub(meaning, key)
    return " ".join(key.split())


def group_key(name: str) -> str:
    """The key of a collective phrase with its list of lower-level units as one level:
    only for matching against an existing agency of kind GROUP."""
    key = agency_key(name)
    for pattern, level in GROUP_LEVELS:
        key = pattern.sub(level, key)
    return key


def locality_bare_key(key: str, locality) -> str:
    """``key`` without the locality it ends with, if it ends with one: "… tỉnh Đắk
    Nông", "… tỉnh", "… Đắk Nông" in the province Đắk Nông."""
    place = _plain(locality.name)
    level = LEVEL_WORDS.get(locality.level)
    endings = [f"{level} {place}", level, place] if level else [place]
    for ending in endings:
        if key.endswith(f" {ending}"):
            return key[: -len(ending) - 1]
    return key


def agency_kind_for(name: str) -> str:
    """The kind of a new agency, from its name (``KIND_RULES``); OTHER when no rule fits."""
    if re.search(r"\bvà các\b", unicodedata.normalize("NFC", name).casefold()):
        return AgencyKind.GROUP  # two bodies and a group: "Đảng đoàn MTTQ và các tổ chức …"
    key = agency_key(name)
    for kind, pattern in _KIND_PATTERNS:
        if pattern.match(key):
            return kind
    return AgencyKind.OTHER


def agency_spellings(agency) -> list[str]:
    """Every way the agency is known: its name, short name and recorded aliases."""
    return [n for n in [agency.name, agency.short_name, *agency.aliases] if n]
