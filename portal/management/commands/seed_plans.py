from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.seeding import SeedError, seed_all


class Command(BaseCommand):
    help = "Load the five plans (targets, tasks, agencies) from fixtures/; safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=settings.FIXTURES_DIR)

    def handle(self, *args, fixtures, **options):
        try:
            result = seed_all(fixtures_dir=fixtures)
        except SeedError as exc:
            raise CommandError(f"Seeding stopped, nothing written: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Seeded. {result.summary()}"))
