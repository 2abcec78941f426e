"""Addresses for many rows of a page at once."""

from collections.abc import Callable
from html import escape
from urllib.parse import quote

from django.urls import reverse

SLOT = "0"
"""The value that stands for the varying argument: a path segment of its own ("/0/")."""


def reverse_each(name: str, *args) -> Callable[[object], str]:
    """``reverse(name, args=args)`` for many values of the one argument given as
    :data:`SLOT`, escaped for HTML: the URL is reversed once and each value put in its
    place (``reverse`` took 35 µs a call, a page of fifty rows links each)."""
    url = reverse(name, args=args)
    parts = url.split(f"/{SLOT}/")
    if len(parts) != 2:
        raise ValueError(f"{url!r}: the slot {SLOT!r} must be one path segment, once")
    head, tail = parts
    return lambda value: escape(f"{head}/{quote(str(value))}/{tail}")
