"""Texts of third-party templates whose package has no Vietnamese catalogue, marked here so
that ``makemessages`` puts them in the portal's (``locale/vi``): Django looks a template's
``{% trans %}`` up in every catalogue, so the pager of django-tables2's lists says "Trang
sau", not "next"."""

from django.utils.translation import gettext_noop

DJANGO_TABLES2 = (gettext_noop("previous"), gettext_noop("next"))
