"""Matching agency names as people write them."""

import re
import unicodedata


def normalise_name(name: str) -> str:
    """A key that ignores case, spacing, Unicode composition and "&"/"và" spelling."""
    text = unicodedata.normalize("NFC", name or "").casefold()
    text = text.replace("&", " và ")
    text = re.sub(r"[\s\u00a0]+", " ", text)
    text = re.sub(r"\s*([,;\-–])\s*", r"\1 ", text)
    return text.strip(" .;,")
