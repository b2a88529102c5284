from django.core.management.base import BaseCommand

from catalog.seeding import FOUNDING_LISTS, load_founding_lists


class Command(BaseCommand):
    help = "Load the founding editorial lists; safe to re-run (never overwrites edits)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(FOUNDING_LISTS), help="data file to load")

    def handle(self, *args, **options):
        created = load_founding_lists(options["file"])
        if not created:
            self.stdout.write("Founding lists already loaded: nothing to add.")
            return
        summary = ", ".join(f"{count} {what}" for what, count in sorted(created.items()))
        self.stdout.write(self.style.SUCCESS(f"Loaded founding lists: {summary}."))
