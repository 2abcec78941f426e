from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from common import limits
from common.fields import IdMultipleChoiceField

from .choices import ImportMode
from .models import TaskReport, TaskSection


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
    """A task row edited by the plan's staff; its section is chosen, or created here
    (``new_section_number``, ``new_section_title``) when the plan has none that fits."""

    new_section_number = forms.CharField(
        label=_("New section: number"),
        required=False,
        max_length=10,
        help_text=_("Empty: the numeral after the plan's last section."),
    )
    new_section_title = forms.CharField(
        label=_("New section: title"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Fill in instead of choosing a section above to create one with the task."),
    )
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

    field_order = ["section", "new_section_number", "new_section_title"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        from common.formatting import vn_sort_key
        from plans.models import Agency

        self.plan = plan
        sections = TaskSection.objects.filter(plan=plan, is_active=True)
        if self.instance.section_id:  # a retired task's retired section stays choosable
            sections = TaskSection.objects.filter(plan=plan).filter(
                models.Q(is_active=True) | models.Q(pk=self.instance.section_id)
            )
        self.fields["section"].queryset = sections.order_by("order", "pk")
        self.fields["section"].required = False
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

    def clean(self):
        cleaned = super().clean()
        title = (cleaned.get("new_section_title") or "").strip()
        number = (cleaned.get("new_section_number") or "").strip()
        if cleaned.get("section") and (title or number):
            self.add_error(
                "new_section_title",
                _("Choose a section or create a new one, not both."),
            )
        elif not cleaned.get("section") and not title and "section" not in self.errors:
            self.add_error("section", _("Choose a section, or give the title of a new one."))
        elif number and not title:
            self.add_error("new_section_title", _("Give the new section a title."))
        return cleaned

    def new_section(self) -> TaskSection | None:
        """The section to create with the task (unsaved), if the user asked for one."""
        title = (self.cleaned_data.get("new_section_title") or "").strip()
        if not title:
            return None
        number = (self.cleaned_data.get("new_section_number") or "").strip()
        return TaskSection(plan=self.plan, number=number, title=title)


class SectionForm(forms.ModelForm):
    """A section of a plan's task table: its number, title, note; retired or not."""

    reason = forms.CharField(
        label=_("Reason for the change (kept in the history)"), max_length=255, required=False
    )

    class Meta:
        model = TaskSection
        fields = ["number", "title", "note", "is_active"]
        labels = {
            "number": _("Section number"),
            "title": _("Section title"),
            "is_active": _("In the plan's table (untick to retire the section)"),
        }
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = _(
            "Roman numeral, e.g. II. Empty: the numeral after the plan's last section."
        )


class TaskImportForm(forms.Form):
    file = forms.FileField(label=_("Task table (.xlsx)"))


class TaskImportConfirmForm(forms.Form):
    """The user's choice for a previewed table: append, update or replace (no default:
    nothing is imported before the user chooses), and the new agencies' confirmation."""

    mode = forms.ChoiceField(
        label=_("How to import"),
        choices=ImportMode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how to import the table: append, update or replace.")
        },
    )
    create_agencies = forms.BooleanField(required=False)

    def __init__(self, *args, needs_mode: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].required = needs_mode
