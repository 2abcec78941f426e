"""The Vietnamese catalogue is complete: no message shows in English."""

from pathlib import Path

import polib
from django.conf import settings


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po if e.msgid and (not e.msgstr and not e.msgstr_plural)]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


def test_placeholders_match():
    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    import re

    for entry in po:
        wanted = sorted(re.findall(r"%\(\w+\)s|%s|%%", entry.msgid))
        translated = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        got = sorted(re.findall(r"%\(\w+\)s|%s|%%", translated))
        assert wanted == got, entry.msgid


def test_vietnamese_sort_order():
    from common.formatting import vn_sort_key

    names = [
        "Ủy ban",
        "Đắk Nông",
        "Dak",
        "Ăn",
        "An",
        "Ân",
        "Bình",
        "ơ",
        "Ô",
        "O",
        "Yên Bái",
        "Tiền",
        "Tiến",
    ]
    assert sorted(names, key=vn_sort_key) == [
        "An",
        "Ăn",
        "Ân",
        "Bình",
        "Dak",
        "Đắk Nông",
        "O",
        "Ô",
        "ơ",
        "Tiền",
        "Tiến",
        "Ủy ban",
        "Yên Bái",
    ]
