from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TaskReport


class TaskReportForm(forms.ModelForm):
    file = forms.FileField(
        label=_("Add an evidence file (PDF, DOCX, XLSX, PNG, JPEG; at most 10 MB)"),
        required=False,
    )

    class Meta:
        model = TaskReport
        fields = ["progress", "done", "deliverable_ref", "completed_on"]
        widgets = {
            "done": forms.Textarea(attrs={"rows": 5}),
            "completed_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        }


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
