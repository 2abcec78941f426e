from django import forms
from django.utils.translation import gettext_lazy as _

from plans.models import Agency

from .models import AnnualReport


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = AnnualReport.WRITTEN_FIELDS
        widgets = {
            "difficulties": forms.Textarea(attrs={"rows": 6}),
            "proposals": forms.Textarea(attrs={"rows": 6}),
            "extra_recipients": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporting_body"].queryset = (
            Agency.objects.exclude(kind="group")
            .order_by("locality__name", "name")
            .select_related("locality")
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening (kept in the history)"), max_length=255)
