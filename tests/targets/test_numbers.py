"""Numbers typed the Vietnamese way."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from targets.numbers import parse_vn_number


@pytest.mark.parametrize(
    ("text", "whole", "expected"),
    [
        ("14.000", True, D(14000)),
        ("14000", True, D(14000)),
        (" 1.234.567 ", True, D(1234567)),
        ("12,5", False, D("12.5")),
        ("12.5", False, D("12.5")),
        ("12,5%", False, D("12.5")),
        ("1.234,5", False, D("1234.5")),
        ("0", True, D(0)),
        ("", True, None),
        ("   ", False, None),
        ("14\u00a0000", True, D(14000)),
    ],
)
def test_accepted(text, whole, expected):
    assert parse_vn_number(text, whole=whole) == expected


@pytest.mark.parametrize(
    ("text", "whole", "code"),
    [
        ("-5", True, "negative"),
        ("abc", True, "invalid"),
        ("12,5", True, "not_whole"),
        ("14,000", True, "ambiguous"),
        ("1..2", False, "invalid"),
        ("=SUM(A1)", True, "invalid"),
        ("9" * 13, True, "too_large"),
    ],
)
def test_refused_with_a_reason(text, whole, code):
    with pytest.raises(ValidationError) as info:
        parse_vn_number(text, whole=whole)
    assert info.value.code == code
