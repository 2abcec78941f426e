"""Demo accounts, one per role, for trying the portal. Never for production."""

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from plans.models import Agency, Plan


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    agency: tuple[str, str] | None  # (locality code, agency name)
    plans: tuple[str, ...] = ()
    superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("quantri", "Quản trị hệ thống", Role.ADMIN, None, superuser=True),
    DemoAccount(
        "lanhdao",
        "Lãnh đạo (xem toàn bộ)",
        Role.LEADERSHIP,
        ("dak-nong", "Ủy ban nhân dân tỉnh Đắk Nông"),
    ),
    DemoAccount(
        "canbo.daknong",
        "Cán bộ theo dõi kế hoạch Đắk Nông",
        Role.PLAN_STAFF,
        ("dak-nong", "Sở Kế hoạch và Đầu tư"),
        plans=("dak-nong",),
    ),
    DemoAccount(
        "canbo.binhphuoc",
        "Cán bộ theo dõi kế hoạch Bình Phước",
        Role.PLAN_STAFF,
        ("binh-phuoc", "Sở Kế hoạch và Đầu tư"),
        plans=("binh-phuoc",),
    ),
    DemoAccount(
        "canbo.yenbai",
        "Cán bộ theo dõi kế hoạch TP. Yên Bái",
        Role.PLAN_STAFF,
        ("tp-yen-bai", "Ủy ban nhân dân thành phố Yên Bái"),
        plans=("yen-bai",),
    ),
    DemoAccount(
        "canbo.gocongtay",
        "Cán bộ theo dõi chương trình Gò Công Tây",
        Role.PLAN_STAFF,
        ("go-cong-tay", "Phòng Tài chính - Kế hoạch huyện"),
        plans=("go-cong-tay",),
    ),
    DemoAccount(
        "canbo.kontum",
        "Cán bộ theo dõi chương trình Kon Tum",
        Role.PLAN_STAFF,
        ("kon-tum", "Ban cán sự đảng Ủy ban nhân dân tỉnh"),
        plans=("kon-tum",),
    ),
    DemoAccount(
        "skhdt.daknong",
        "Sở Kế hoạch và Đầu tư Đắk Nông",
        Role.AGENCY,
        ("dak-nong", "Sở Kế hoạch và Đầu tư"),
    ),
    DemoAccount(
        "lmhtx.daknong",
        "Liên minh Hợp tác xã tỉnh Đắk Nông",
        Role.AGENCY,
        ("dak-nong", "Liên minh Hợp tác xã tỉnh"),
    ),
]


def _demo_user(account: DemoAccount, agency: Agency | None) -> User:
    return User(
        username=account.username,
        first_name=account.full_name,
        role=account.role,
        agency=agency,
        is_staff=account.superuser,
        is_superuser=account.superuser,
    )


def demo_password_validate(*, password: str, accounts: list[DemoAccount]) -> None:
    """Run the password validators (AUTH_PASSWORD_VALIDATORS) for each account.

    Raises ``ValidationError`` with one Vietnamese message naming the first account the
    password is refused for and why: a shared demo password must be as strong as any.
    """
    for account in accounts:
        try:
            validate_password(password, user=_demo_user(account, None))
        except ValidationError as exc:
            raise ValidationError(
                _(
                    "DEMO_PASSWORD is refused for the account %(username)s: %(reasons)s "
                    "No account was created. Choose a longer, less common password or "
                    "leave DEMO_PASSWORD unset to get random ones."
                )
                % {"username": account.username, "reasons": " ".join(exc.messages)},
                code="demo_password_invalid",
            ) from exc


@transaction.atomic
def demo_users_create(*, password: str | None = None) -> list[tuple[str, str | None]]:
    """Create the missing demo accounts; returns (username, password or None if it existed).

    Without ``password`` each new account gets a random one. A given ``password`` must
    pass the password validators for every demo account, or ``ValidationError`` is raised
    and nothing is created. Existing accounts are left exactly as they are.
    """
    if password:
        demo_password_validate(password=password, accounts=DEMO_ACCOUNTS)
    existing = set(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    created = []
    for account in DEMO_ACCOUNTS:
        if account.username in existing:
            created.append((account.username, None))
            continue
        agency = None
        if account.agency:
            locality, name = account.agency
            agency = Agency.objects.get(locality__code=locality, name=name)
        user_password = password or secrets.token_urlsafe(9)
        user = _demo_user(account, agency)
        user.set_password(user_password)
        user.save()
        if account.plans:
            user.plans.set(Plan.objects.filter(slug__in=account.plans))
        created.append((account.username, user_password))
    return created
