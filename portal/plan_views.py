"""A plan's document entered and corrected in the portal: kind, number, title, issuing
body, level and place, dates, start and base years. Targets (``targets``) and tasks
(``tasks``) are added from the plan's page afterwards."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from accounts.mixins import RuleRequiredMixin
from accounts.permissions import can_create_plan, can_edit_plan
from common.views import ServiceFormMixin
from plans.forms import PlanForm
from plans.models import Plan
from plans.services import plan_save


class PlanFormView(RuleRequiredMixin, ServiceFormMixin, FormView):
    """Models: Plan. Template: plans/plan_form.html. Context: form, plan (unsaved when
    new), history (the plan's changes, newest first)."""

    form_class = PlanForm
    template_name = "plans/plan_form.html"
    hidden_fields = ()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.plan}

    def form_valid(self, form):
        try:
            plan = plan_save(
                plan=form.save(commit=False),
                user=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            return self.form_error(form, exc)
        messages.success(self.request, _("%(plan)s has been saved.") % {"plan": plan.heading})
        return redirect(plan.get_absolute_url())

    def get_context_data(self, **kwargs):
        history = []
        if self.plan.pk:
            history = list(
                self.plan.history.select_related("history_user").order_by("-history_date")[:20]
            )
        return super().get_context_data(plan=self.plan, history=history, **kwargs)


class PlanCreateView(PlanFormView):
    """Administrators and plan staff enter a new plan; plan staff then follow it."""

    permission_rule = can_create_plan
    permission_denied_message = gettext_lazy("Only plan staff and administrators add plans.")

    def load_objects(self):
        self.plan = Plan()


class PlanEditView(PlanFormView):
    """A plan's staff (and administrators) correct its document."""

    permission_rule = can_edit_plan
    permission_denied_message = gettext_lazy("Only the plan's staff can edit its document.")

    def load_objects(self):
        self.plan = get_object_or_404(
            Plan.objects.select_related("locality", "issuing_body"), slug=self.kwargs["slug"]
        )
