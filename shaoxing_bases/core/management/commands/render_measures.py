"""Render the Measures' PDF into static/ (run after changing templates/core/measures/)."""

from django.core.management.base import BaseCommand

from shaoxing_bases.core.measures import measures_pdf, static_pdf_file


class Command(BaseCommand):
    help = "Render 绍市人社发〔2022〕47号 to static/docs/ (the home page's download)."

    def handle(self, *args, **options) -> None:
        target = static_pdf_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(measures_pdf())
        self.stdout.write(f"{target} ({target.stat().st_size // 1024} KiB)")
