"""``manage.py backup FOLDER``: the database (pg_dump custom format), then the media files, with SHA-256 sums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and then the media files into a new folder, with SHA-256 sums."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="Where to write the backup (a new or empty folder).")

    def handle(self, *args, folder: Path, **options):
        try:
            backup_create(target=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"backup written to {folder}"))
