from django import forms
from django.utils.translation import gettext_lazy as _

from plans.models import Agency

from .models import AnnualReport
from .outline import OUTLINE_FIELDS


class AnnualReportForm(forms.ModelForm):
    """The parts of the yearly report staff write. Each outline section starts from the
    text built from the data (``generated``); a section left as generated is stored
    empty, so that it keeps following the data until someone edits it."""

    class Meta:
        model = AnnualReport
        fields = AnnualReport.WRITTEN_FIELDS
        widgets = {
            "addressees": forms.Textarea(attrs={"rows": 2}),
            "leadership": forms.Textarea(attrs={"rows": 5}),
            "targets_text": forms.Textarea(attrs={"rows": 8}),
            "tasks_text": forms.Textarea(attrs={"rows": 12}),
            "assessment": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 5}),
            "next_year": forms.Textarea(attrs={"rows": 6}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
            "extra_recipients": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plan, generated: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.generated = generated or {}
        self.fields["reporting_body"].queryset = (
            Agency.objects.exclude(kind="group")
            .order_by("locality__name", "name")
            .select_related("locality")
        )
        self.fields["reporting_body"].label_from_instance = lambda agency: (
            f"{agency.name} ({agency.locality.name})"
        )
        for name in OUTLINE_FIELDS:
            field = self.fields[name]
            field.help_text = _(
                "Starts from the text built from the data; edit it freely. Empty it to go "
                "back to the generated text."
            )
            if not self.is_bound and not getattr(self.instance, name) and name in self.generated:
                self.initial[name] = self.generated[name]

    def clean(self):
        cleaned = super().clean()
        for name in OUTLINE_FIELDS:
            text = (cleaned.get(name) or "").replace("\r\n", "\n").strip()
            if text and _same(text, self.generated.get(name, "")):
                text = ""
            cleaned[name] = text
        return cleaned


def _same(a: str, b: str) -> bool:
    return [line.strip() for line in a.splitlines() if line.strip()] == [
        line.strip() for line in b.splitlines() if line.strip()
    ]


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening (kept in the history)"), max_length=255)
