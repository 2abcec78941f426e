"""Matching agency names as people write them: the one normaliser, used by the task
importer and the seeding of the plans."""

import re
import unicodedata

ABBREVIATIONS = [
    (r"\bubmttqvn\b", "ủy ban mặt trận tổ quốc việt nam"),
    (r"\bubmttq\b", "ủy ban mặt trận tổ quốc"),
    (r"\bmttq\b", "mặt trận tổ quốc"),
    (r"\bubnd\b", "ủy ban nhân dân"),
    (r"\bhđnd\b", "hội đồng nhân dân"),
    (r"\blhhtx\b", "liên hiệp hợp tác xã"),
    (r"\bhtx\b", "hợp tác xã"),
    (r"\blm\b", "liên minh"),
    (r"\bkh và đt\b", "kế hoạch và đầu tư"),
    (r"\bkhđt\b", "kế hoạch và đầu tư"),
    (r"\btt và tt\b", "thông tin và truyền thông"),
    (r"\bnn và ptnt\b", "nông nghiệp và phát triển nông thôn"),
    (r"\btn và mt\b", "tài nguyên và môi trường"),
    (r"\bkh và cn\b", "khoa học và công nghệ"),
    (r"\blđ tb và xh\b", "lao động thương binh và xã hội"),
    (r"\bgtvt\b", "giao thông vận tải"),
    (r"\bpt th\b", "phát thanh truyền hình"),
    (r"\bpt và th\b", "phát thanh và truyền hình"),
    (r"\bnhnn\b", "ngân hàng nhà nước"),
    (r"\bbcđ\b", "ban chỉ đạo"),
    (r"\bkttt\b", "kinh tế tập thể"),
]


def agency_key(name: str) -> str:
    """Compare names as people mean them: case, spaces, "&", hyphens, abbreviations, a
    parenthetical remark, and the small word "và" that spellings drop."""
    key = unicodedata.normalize("NFC", name or "").casefold()
    key = re.sub(r"\([^)]*\)", " ", key)
    key = key.replace("&", " và ")
    key = re.sub(r"[-–]", " ", key)
    key = re.sub(r"\s+", " ", key).strip(" .;,")
    key = re.sub(r"\s*,\s*", ", ", key)
    for pattern, replacement in ABBREVIATIONS:
        key = re.sub(pattern, replacement, key)
    key = re.sub(r"\bvà\b", " ", key)
    return re.sub(r"\s+", " ", key).strip()


def agency_spellings(agency) -> list[str]:
    """Every way the agency is known: its name, short name and recorded aliases."""
    return [n for n in [agency.name, agency.short_name, *agency.aliases] if n]
