"""common.urls.reverse_each: reverse() once for a page's rows."""

import pytest
from django.urls import reverse

from common.urls import SLOT, reverse_each


@pytest.mark.parametrize("value", ["dak-nong", "a_b-0", "0", 7])
def test_each_address_is_what_reverse_gives(value):
    url = reverse_each("tasks:completeness", SLOT, 2025)
    assert url(value) == reverse("tasks:completeness", args=[value, 2025])


def test_a_slot_that_is_not_one_segment_once_is_refused():
    with pytest.raises(ValueError, match="one path segment"):
        reverse_each("tasks:completeness", SLOT, 0)  # "/0/0/": which one?
