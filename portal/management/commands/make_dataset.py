"""``manage.py make_dataset --scale N [--seed S] [--flush]``: synthetic volumes for load tests."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import page_cache
from portal.dataset.builder import DatasetExists, build_dataset, flush_dataset


class Command(BaseCommand):
    help = (
        "Generate a deterministic, realistic dataset (scale 1: ~50 projects, 500 organisations, 5,000 users, "
        "200 communities, 5,000 meetings, 100,000 registrations). Generated rows are marked ('ds-' slugs and "
        "e-mails) and --flush deletes only them. Refuses production settings unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Volume factor; fractions work (e.g. 0.02).")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument("--flush", action="store_true", help="Delete previously generated rows first.")
        parser.add_argument("--force", action="store_true", help="Run even with production settings.")

    def handle(self, *args, scale: float, seed: int, flush: bool, force: bool, **options):
        if getattr(settings, "PORTAL_ENV", "") == "production" and not force:
            raise CommandError("Refusing to generate synthetic data with production settings; pass --force.")
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if flush:
            started = time.perf_counter()
            deleted = flush_dataset()
            self.stdout.write(f"flushed {sum(deleted.values())} generated rows in {time.perf_counter() - started:.1f}s")
        try:
            report = build_dataset(scale=scale, seed=seed)
        except DatasetExists as exc:
            raise CommandError(f"{exc} Run again with --flush.") from exc
        # Bulk inserts send no signals, so the cached public pages are told here.
        page_cache.invalidate()
        for step, seconds in report.timings.items():
            self.stdout.write(f"  {step:<15} {seconds:6.1f}s")
        for label, count in report.counts.items():
            self.stdout.write(f"  {label:<25} {count:>8}")
        self.stdout.write(
            self.style.SUCCESS(
                f"dataset scale={scale:g} seed={seed}: {sum(report.counts.values())} rows in {report.seconds:.1f}s"
            )
        )
