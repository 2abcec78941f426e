"""Template filters for Vietnamese numbers and dates: {{ value|vn_number }}, {{ d|vn_date }}."""

from django import template

from common import formatting

register = template.Library()


@register.filter
def vn_number(value, decimals=None):
    return formatting.vn_number(value, decimals)


@register.filter
def vn_date(value):
    return formatting.vn_date(value)


@register.filter
def vn_place_date(value, place):
    """{{ header.date|vn_place_date:header.place }} → "Lâm Đồng, ngày 05 tháng 12 năm 2025"."""
    return formatting.vn_place_date(place, value) if value else ""


@register.filter
def get_item(mapping, key):
    """{{ mapping|get_item:key }}"""
    return mapping.get(key, "") if mapping else ""


@register.filter
def roman(value):
    """{{ 4|roman }} → "IV"."""
    return formatting.roman(int(value))
