"""Django's own messages that its Vietnamese catalogue lacks, marked here so that
``makemessages`` keeps them in ours (the translation lives in locale/vi.tsv)."""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
