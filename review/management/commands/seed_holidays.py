from django.core.management.base import BaseCommand
from django.utils import timezone

from review.publicity.calendar import holiday_warning
from review.publicity.holidays import seed_from_chinesecalendar


class Command(BaseCommand):
    help = (
        "从 chinesecalendar 补充法定节假日安排（放假及调休上班日期）；"
        "已有日期（含手工录入的）保持不变。可重复运行。"
    )

    def handle(self, *args, **options):
        added = seed_from_chinesecalendar()
        self.stdout.write(f"新增法定节假日安排 {added} 天。")
        if warning := holiday_warning(timezone.localdate()):
            self.stdout.write(self.style.WARNING(warning))
