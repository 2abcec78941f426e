from django.core.management.base import BaseCommand

from targets.demo import demo_figures_create


class Command(BaseCommand):
    help = "Load plausible demo figures (2022–2025), marked as demo data; skips filled years."

    def handle(self, *args, **options):
        saved = demo_figures_create()
        self.stdout.write(self.style.SUCCESS(f"Demo figures: {saved} values saved."))
