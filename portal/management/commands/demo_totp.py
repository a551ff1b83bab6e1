"""``manage.py demo_totp``: the code each demo staff account's authenticator app would show now.

The demo's coordinators and admin sign in with two factors (``load_demo`` enrols them with
the published secret DEMO_TOTP_SECRET); somebody walking the demo without an app types the
code printed here. Codes change every 30 seconds, and each may be used once.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.demo import data as demo_data
from portal.demo.totp import demo_codes


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of each demo staff account (coordinators and the admin), "
        f"whose authenticator secret is the published demo secret {demo_data.DEMO_TOTP_SECRET}."
    )

    def handle(self, *args, **options):
        codes = demo_codes()
        if not codes:
            raise CommandError("No demo account signs in with the demo secret: run `manage.py load_demo` first.")
        width = max(len(code.email) for code in codes)
        for code in codes:
            self.stdout.write(f"{code.email:<{width}}  {code.code}")
        self.stdout.write(f"Valid for {codes[0].seconds_left} more seconds; each code works once.")
