"""``manage.py load_demo``: the five seed projects with their real facts, idempotently."""

from django.core.management.base import BaseCommand

from portal.demo import data as demo_data
from portal.demo.loader import CREATED, UNCHANGED, UPDATED, LoadResult, load_demo
from portal.demo.reports import demo_reports_submit
from portal.opendata.build import open_data_build


class Command(BaseCommand):
    help = (
        "Load the five seed projects (EPIC UP, EPI, VALUES, ECCIPA, Teilhabe in ‚neuen‘ Ankunftsquartieren "
        "stärken) with their partners, communities, meetings, deliverables and news. Safe to run again: "
        "a second run changes nothing. Demo accounts (password 'demo-portal') are created when "
        "PORTAL_DEMO_ACCOUNTS is True (the embedded default) or with --with-accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-accounts",
            action="store_true",
            help="Create the demo accounts even when PORTAL_DEMO_ACCOUNTS is False (e.g. in production). "
            "They include a superuser with a published password: use on demo installations only.",
        )

    def handle(self, *args, with_accounts: bool = False, **options):
        result = load_demo(with_accounts=with_accounts)
        if options["verbosity"] >= 1:
            self.print_summary(result)
        if result.accounts_loaded:
            # The reports the seeds describe as sent to the funder, submitted by the demo
            # coordinator through the reporting workflow (after the load has committed).
            reports = demo_reports_submit(demo_data.PROJECTS)
            if options["verbosity"] >= 1 and reports.submitted:
                self.stdout.write(f"Progress reports rendered and submitted to the funder: {reports.submitted}")
        # The open-data files, so the demo has them before the scheduler's first hourly run.
        built = open_data_build()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Open-data files written: {', '.join(f'{k} {v}' for k, v in built.rows.items())}")

    def print_summary(self, result: LoadResult) -> None:
        width = max(len(label) for label in result.counts)
        self.stdout.write(f"{'model':<{width}}  {CREATED:>8}  {UPDATED:>8}  {UNCHANGED:>9}")
        for label, row in result.rows():
            self.stdout.write(f"{label:<{width}}  {row[CREATED]:>8}  {row[UPDATED]:>8}  {row[UNCHANGED]:>9}")
        self.stdout.write(f"{'total':<{width}}  {result.created:>8}  {result.updated:>8}  {result.unchanged:>9}")
        if result.changed_anything:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data already up to date: nothing changed."))

        if not result.accounts_loaded:
            self.stdout.write(
                "Demo accounts skipped: PORTAL_DEMO_ACCOUNTS is False (pass --with-accounts to create them)."
            )
            return
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password: {result.password}):")
        email_width = max(len(a.email) for a in result.accounts)
        for account in result.accounts:
            self.stdout.write(f"  {account.email:<{email_width}}  {account.label}")
        self.stdout.write(
            "Coordinators and the admin sign in with two factors: `manage.py demo_totp` prints their current "
            f"codes, or add the secret {demo_data.DEMO_TOTP_SECRET} to an authenticator app."
        )
