from django.core.management.base import BaseCommand

from votes.stats import recompute_all


class Command(BaseCommand):
    help = (
        "Recompute every work's rating figures from the ratings, report any drift, "
        "rebuild the rising window and refresh all ranking scores with a fresh mean."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only report drift; change nothing."
        )

    def handle(self, *args, check=False, **options):
        def progress(done, total):
            if done % 500 == 0 or done == total:
                self.stdout.write(f"  {done}/{total} works checked")

        drifts = recompute_all(fix=not check, progress=progress)
        for drift in drifts:
            self.stdout.write(self.style.WARNING(f"drift: {drift}"))
        if not drifts:
            self.stdout.write(self.style.SUCCESS("No drift: stored figures match the ratings."))
        elif check:
            self.stdout.write(self.style.ERROR(f"{len(drifts)} work(s) drifted (not fixed)."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Fixed {len(drifts)} work(s)."))
        if check and drifts:
            raise SystemExit(1)
