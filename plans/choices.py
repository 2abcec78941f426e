from django.db import models
from django.utils.translation import gettext_lazy as _


class LocalityLevel(models.TextChoices):
    NATIONAL = "national", _("Nationwide")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


def level_rank(level: str) -> int:
    """The place of ``level`` from the country down (0 for the country; an unknown level
    last)."""
    levels = LocalityLevel.values
    return levels.index(level) if level in levels else len(levels)


class AgencyKind(models.TextChoices):
    CENTRAL = "central", _("Central body (Chính phủ, Quốc hội, Văn phòng Trung ương)")
    MINISTRY = "ministry", _("Ministry or ministry-level agency (Bộ)")
    PEOPLES_COMMITTEE = "ubnd", _("People's Committee (UBND)")
    PEOPLES_COUNCIL = "hdnd", _("People's Council (HĐND)")
    DEPARTMENT = "department", _("Department or agency (Sở, ban, ngành)")
    PARTY = "party", _("Party committee or body (Tỉnh ủy, Thành ủy, Huyện ủy)")
    MASS_ORGANISATION = "mass_org", _("Front or mass organisation")
    COOPERATIVE_ALLIANCE = "alliance", _("Cooperative alliance")
    STEERING_COMMITTEE = "steering", _("Steering committee")
    BANK = "bank", _("Bank")
    SCHOOL = "school", _("School or training centre")
    MEDIA = "media", _("Press, radio and television")
    OTHER = "other", _("Other body")
    GROUP = "group", _("Named group of bodies")


class PlanKind(models.TextChoices):
    PLAN = "ke_hoach", _("Plan (Kế hoạch)")
    ACTION_PROGRAMME = "ctr_hanh_dong", _("Action programme (Chương trình hành động)")
    PROGRAMME = "chuong_trinh", _("Programme (Chương trình)")
    RESOLUTION = "nghi_quyet", _("Resolution (Nghị quyết)")
    CONCLUSION = "ket_luan", _("Conclusion (Kết luận)")
    DIRECTIVE = "chi_thi", _("Directive (Chỉ thị)")
    SCHEME = "de_an", _("Scheme (Đề án)")
    DECISION = "quyet_dinh", _("Decision (Quyết định)")


KIND_NAMES = {
    PlanKind.PLAN: "Kế hoạch",
    PlanKind.ACTION_PROGRAMME: "Chương trình hành động",
    PlanKind.PROGRAMME: "Chương trình",
    PlanKind.RESOLUTION: "Nghị quyết",
    PlanKind.CONCLUSION: "Kết luận",
    PlanKind.DIRECTIVE: "Chỉ thị",
    PlanKind.SCHEME: "Đề án",
    PlanKind.DECISION: "Quyết định",
}
"""A document kind as its title and references write it ("Nghị quyết số 20-NQ/TW"): the
document's own words, not a translation of the interface."""


class ReportFrequency(models.TextChoices):
    YEARLY = "yearly", _("Yearly")
    PERIODIC = "periodic", _("Periodically")
    NOT_STATED = "not_stated", _("Not stated in the document")
