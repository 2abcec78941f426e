import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal.demo_users import DEMO_ACCOUNTS, demo_users_create


class Command(BaseCommand):
    help = (
        "Create the demo accounts that are missing (one per role). New accounts get a random "
        "password, or DEMO_PASSWORD when set (it must pass the password validators); they are "
        "appended to var/demo-accounts.txt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=settings.VAR_DIR / "demo-accounts.txt")

    def handle(self, *args, output, **options):
        try:
            results = demo_users_create(password=os.environ.get("DEMO_PASSWORD") or None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        roles = {a.username: a.role.label for a in DEMO_ACCOUNTS}
        new = [(username, password) for username, password in results if password]
        if new:
            output.parent.mkdir(parents=True, exist_ok=True)
            with output.open("a", encoding="utf-8") as handle:
                for username, password in new:
                    handle.write(f"{username}\t{password}\t{roles[username]}\n")
            output.chmod(0o600)
        for username, password in results:
            state = "created" if password else "exists, unchanged"
            self.stdout.write(f"  {username:18} {roles[username]:16} {state}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts ready; passwords of new ones are in {output}")
        )
