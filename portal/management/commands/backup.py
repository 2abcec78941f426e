from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files (MEDIA_ROOT) into one .tar.gz archive;"
        " `restore` loads it. The archive holds personal data and password hashes: keep it"
        " private (it is written with mode 0600)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, required=True, help="the archive to write, e.g. backup.tar.gz"
        )

    def handle(self, *args, output, **options):
        if output.parent and not output.parent.is_dir():
            raise CommandError(f"No such directory: {output.parent}")
        try:
            result = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for name in result.missing_files:
            self.stderr.write(
                self.style.WARNING(f"Referenced by the database but not in MEDIA_ROOT: {name}")
            )
        self.stdout.write(self.style.SUCCESS(f"Backed up: {result.summary()}"))
