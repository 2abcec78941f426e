from django import forms
from django.utils.translation import gettext_lazy as _

from common import limits
from common.fields import IdMultipleChoiceField

from .models import TaskReport


class TaskReportForm(forms.ModelForm):
    """An agency's report on a task; ``version`` is the report's version when the page was
    built, so a save over someone else's newer one is refused."""

    file = forms.FileField(
        label=_("Add an evidence file (PDF, DOCX, XLSX, PNG, JPEG; at most 10 MB)"),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)

    class Meta:
        model = TaskReport
        fields = ["progress", "done", "deliverable_ref", "completed_on"]
        widgets = {
            "done": forms.Textarea(attrs={"rows": 5}),
            "completed_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        }


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TaskRowForm(forms.ModelForm):
    """A task row edited by the plan's staff."""

    leads = IdMultipleChoiceField(label=_("Lead agencies"), queryset=None)
    partners = IdMultipleChoiceField(label=_("Cooperating agencies"), queryset=None, required=False)
    reason = forms.CharField(label=_("Reason for the change (kept in the history)"), max_length=255)

    class Meta:
        from .models import Task

        model = Task
        fields = [
            "section",
            "number",
            "description",
            "deliverable",
            "deadline_text",
            "note",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "deliverable": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        from plans.models import Agency

        from .models import TaskSection

        self.plan = plan
        self.fields["section"].queryset = TaskSection.objects.filter(plan=plan)
        from common.formatting import vn_sort_key

        agencies = Agency.objects.filter(locality=plan.locality)
        self.fields["leads"].queryset = agencies
        self.fields["partners"].queryset = agencies
        ordered = sorted(agencies, key=lambda a: vn_sort_key(a.name))
        for name in ("leads", "partners"):
            self.fields[name].choices = [(a.pk, a.name) for a in ordered]
        self.fields["leads"].widget.attrs["size"] = 8
        self.fields["partners"].widget.attrs["size"] = 8
        if self.instance.pk and not self.is_bound:
            self.initial["leads"] = [a.pk for a in self.instance.lead_agencies]
            self.initial["partners"] = [a.pk for a in self.instance.partner_agencies]


class TaskImportForm(forms.Form):
    file = forms.FileField(label=_("Task table (.xlsx)"))
