from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty database (run `migrate` first)"
        " and MEDIA_ROOT, in one transaction. Refuses a database that holds plans or users"
        " unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the .tar.gz written by `backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="delete everything the database holds first, and overwrite files in MEDIA_ROOT",
        )

    def handle(self, *args, archive, force, **options):
        if not archive.is_file():
            raise CommandError(f"No such file: {archive}")
        try:
            result = backup_restore(archive_path=archive, force=force)
        except BackupError as exc:
            raise CommandError(f"Nothing was restored. {exc}") from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
