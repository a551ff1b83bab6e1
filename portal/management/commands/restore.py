"""``manage.py restore FOLDER``: checks the sums, loads the database, unpacks the media, checks every report file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'manage.py backup' into the configured database and media folder, "
        "then check every report file against the SHA-256 recorded for it."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The backup folder.")
        parser.add_argument(
            "--force", action="store_true", help="Replace the portal's tables and media files if there are any."
        )

    def handle(self, *args, folder: Path, force: bool, **options):
        try:
            result = backup_restore(source=folder, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"restored: {result.media_files} media files, {result.reports_checked} report files match their SHA-256"
            )
        )
