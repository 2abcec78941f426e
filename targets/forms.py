from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext_lazy as _

from common import limits

from .choices import Comparator, FigureStatus
from .models import Target
from .numbers import parse_vn_number
from .validation import value_problems


class FigureEntryForm(forms.Form):
    """One row per indicator: value, status, note, source; plus the version it was built
    from and the values the user was shown (to explain a refused stale save)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(
        label=_("Reason for the change (kept in the history)"), required=False, max_length=255
    )
    confirm_warnings = forms.BooleanField(
        label=_("I have checked the large changes above and confirm them"), required=False
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            code = indicator.code
            unit = (
                _("%")
                if indicator.is_share
                else indicator.unit_label
                if not indicator.is_count
                else ""
            )
            self.fields[f"v_{code}"] = forms.CharField(
                label=f"{indicator.name}{' (' + str(unit) + ')' if unit else ''}",
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "num"}),
            )
            self.fields[f"s_{code}"] = forms.ChoiceField(
                label=_("Status of %(name)s") % {"name": indicator.name},
                choices=FigureStatus.choices,
                initial=FigureStatus.ESTIMATED,
            )
            self.fields[f"n_{code}"] = forms.CharField(
                label=_("Note on %(name)s") % {"name": indicator.name},
                required=False,
                max_length=limits.NOTE,
            )
            self.fields[f"src_{code}"] = forms.CharField(
                label=_("Source of %(name)s") % {"name": indicator.name},
                required=False,
                max_length=255,
            )
            self.fields[f"seen_{code}"] = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        for indicator in self.indicators:
            name = f"v_{indicator.code}"
            try:
                cleaned[name] = parse_vn_number(self.data.get(name, ""), whole=indicator.is_count)
            except ValidationError as error:
                self.add_error(name, error)
            else:
                for problem in value_problems(
                    cleaned[name], is_count=indicator.is_count, is_share=indicator.is_share
                ):
                    self.add_error(name, problem)
            seen = self.data.get(f"seen_{indicator.code}", "")
            try:
                seen_value = Decimal(seen) if seen else None
            except (InvalidOperation, TypeError) as exc:
                raise BadRequest(_("The form's hidden fields were changed.")) from exc
            if seen_value is not None and (
                not seen_value.is_finite() or abs(seen_value) > limits.FIGURE_MAX
            ):
                raise BadRequest(_("The form's hidden fields were changed."))
            cleaned[f"seen_{indicator.code}"] = seen_value
        return cleaned

    def rows(self):
        """Bound fields per indicator, for the template."""
        for indicator in self.indicators:
            code = indicator.code
            yield (
                indicator,
                {
                    "value": self[f"v_{code}"],
                    "status": self[f"s_{code}"],
                    "note": self[f"n_{code}"],
                    "source": self[f"src_{code}"],
                    "seen": self[f"seen_{code}"],
                },
            )


class TargetForm(forms.ModelForm):
    """A plan's target, edited by its staff; the reason goes to the history."""

    value = forms.CharField(label=_("Value"), required=False, max_length=30)
    value_max = forms.CharField(label=_("Upper bound"), required=False, max_length=30)
    reason = forms.CharField(label=_("Reason for the change (kept in the history)"), max_length=255)

    class Meta:
        model = Target
        fields = [
            "milestone_year",
            "is_yearly",
            "indicator",
            "comparator",
            "parent",
            "newly_founded",
            "text",
            "source_text",
            "note",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "source_text": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["parent"].queryset = Target.objects.filter(plan=plan).exclude(
            pk=self.instance.pk
        )
        self.fields["indicator"].required = False
        if self.instance.pk and not self.is_bound:
            from common.formatting import vn_number

            self.initial["value"] = vn_number(self.instance.value)
            self.initial["value_max"] = vn_number(self.instance.value_max)

    def clean(self):
        cleaned = super().clean()
        indicator = cleaned.get("indicator")
        whole = bool(indicator and indicator.is_count)
        for name in ["value", "value_max"]:
            try:
                cleaned[name] = parse_vn_number(self.data.get(name, ""), whole=whole)
            except ValidationError as error:
                self.add_error(name, error)
        comparator = cleaned.get("comparator")
        if comparator == Comparator.QUALITATIVE:
            if cleaned.get("value") is not None:
                self.add_error("value", _("A qualitative target has no value."))
        else:
            if cleaned.get("value") is None and "value" not in self.errors:
                self.add_error("value", _("A numeric target needs a value."))
            if indicator is None:
                self.add_error("indicator", _("A numeric target needs an indicator."))
        if comparator == Comparator.RANGE:
            if cleaned.get("value_max") is None and "value_max" not in self.errors:
                self.add_error("value_max", _("A range needs an upper bound."))
            elif cleaned.get("value") is not None and cleaned["value_max"] < cleaned["value"]:
                self.add_error("value_max", _("The upper bound is below the lower bound."))
        elif cleaned.get("value_max") is not None:
            self.add_error("value_max", _("Only a range has an upper bound."))
        if cleaned.get("is_yearly") and cleaned.get("milestone_year"):
            self.add_error("milestone_year", _("A yearly target has no milestone year."))
        if not cleaned.get("is_yearly") and not cleaned.get("milestone_year"):
            self.add_error("milestone_year", _("Give the milestone year, or tick every year."))
        return cleaned

    def save(self, commit=True):
        target = super().save(commit=False)
        target.plan = self.plan
        target.value = self.cleaned_data.get("value")
        target.value_max = self.cleaned_data.get("value_max")
        if not target.code:
            from django.utils.text import slugify

            base = slugify(f"{target.milestone_year or 'yearly'}-{target.indicator_id or 'q'}")
            target.code = f"portal-{base}-{Target.objects.filter(plan=self.plan).count() + 1}"
        return target


class FigureUploadForm(forms.Form):
    file = forms.FileField(label=_("Filled-in template (.xlsx)"))
    reason = forms.CharField(
        label=_("Reason for the change (kept in the history)"), required=False, max_length=255
    )
    confirm_warnings = forms.BooleanField(
        label=_("I have checked the large changes and confirm them"), required=False
    )
