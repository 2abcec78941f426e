"""Split "reports to / through" into the reporting chain: the body that compiles the
agencies' reports (the coordinating body) and the bodies the plan's report is addressed to.

A department (or the body named as "through") is the coordinating body; a body above or
beside the plan's issuer becomes an addressee; a body below the issuer (its own standing
board or department) is never an addressee."""

from django.db import migrations

COORDINATING_KINDS = {"department", "steering", "other"}


def _below(agency, issuer) -> bool:
    seen = set()
    while agency is not None and agency.pk not in seen:
        if agency.pk == issuer.pk:
            return True
        seen.add(agency.pk)
        agency = agency.parent
    return False


def forwards(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    for plan in Plan.objects.select_related("reports_to", "reports_via", "issuing_body"):
        named = plan.reports_to
        if plan.reports_via_id:
            plan.coordinating_body = plan.reports_via
        elif named is not None and named.kind in COORDINATING_KINDS:
            plan.coordinating_body = named
        if named is not None and named.pk != plan.coordinating_body_id:
            if not _below(named, plan.issuing_body):
                plan.report_addressees.add(named)
        plan.save(update_fields=["coordinating_body"])


def backwards(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    for plan in Plan.objects.all():
        plan.reports_to = plan.report_addressees.first() or plan.coordinating_body
        plan.save(update_fields=["reports_to"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0004_reporting_chain")]
    operations = [migrations.RunPython(forwards, backwards)]
