"""A plan's document, entered or corrected in the portal (``portal.plan_views``)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from common.formatting import vn_date
from common.limits import NOTE, PARAGRAPH

from .choices import AgencyKind, LocalityLevel
from .models import Agency, Locality, Plan

LEVEL_ORDER = [
    LocalityLevel.NATIONAL,
    LocalityLevel.PROVINCE,
    LocalityLevel.CITY,
    LocalityLevel.DISTRICT,
    LocalityLevel.COMMUNE,
]


class LocalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.dissolved_on:
            return _("%(place)s (until %(date)s)") % {
                "place": obj.label,
                "date": vn_date(obj.dissolved_on - datetime.timedelta(days=1)),
            }
        return obj.label


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} – {obj.locality.label}"


def _by_level(localities):
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    return sorted(localities, key=lambda loc: (rank.get(loc.level, 9), loc.name))


class PlanForm(forms.ModelForm):
    """Kind, number, title, issuing body, level and place, dates and years of a plan."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=NOTE,
        help_text=_("Kept in the plan's history."),
    )

    class Meta:
        model = Plan
        fields = [
            "kind",
            "number",
            "title",
            "issuing_body",
            "level",
            "locality",
            "issued_on",
            "place",
            "signer_name",
            "signer_title",
            "coordinating_body",
            "start_year",
            "base_year",
        ]
        field_classes = {
            "locality": LocalityChoiceField,
            "issuing_body": AgencyChoiceField,
            "coordinating_body": AgencyChoiceField,
        }
        widgets = {
            "title": forms.Textarea(attrs={"rows": 3, "maxlength": PARAGRAPH}),
            "issued_on": forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "16/6/2022"}),
        }
        help_texts = {
            "number": _("As the document writes it, e.g. 20-NQ/TW or 127/KH-UBND."),
            "start_year": _("The first year the plan covers, e.g. 2022."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level.value, level.label) for level in LEVEL_ORDER]
        self.fields["locality"].queryset = Locality.objects.all()
        self.fields["locality"].choices = [("", "---------")] + [
            (loc.pk, self.fields["locality"].label_from_instance(loc))
            for loc in _by_level(Locality.objects.all())
        ]
        agencies = Agency.objects.select_related("locality").exclude(kind=AgencyKind.GROUP)
        for name in ("issuing_body", "coordinating_body"):
            self.fields[name].queryset = agencies.order_by(
                "locality__level", "locality__name", "name"
            )
        self.fields["title"].max_length = PARAGRAPH
        self.fields["issued_on"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) > PARAGRAPH:
            raise forms.ValidationError(
                _("This text is longer than %(limit)s characters.") % {"limit": PARAGRAPH}
            )
        return title

    def clean(self):
        cleaned = super().clean()
        start, base = cleaned.get("start_year"), cleaned.get("base_year")
        if start is not None and not 2000 <= start <= 2100:
            self.add_error("start_year", _("The start year must be from 2000 to 2100."))
        elif start is not None and base is not None and not 2000 <= base <= start:
            self.add_error(
                "base_year",
                _("The base year must be from 2000 to the start year (%(start)s).")
                % {"start": start},
            )
        return cleaned
