from django.core.management.base import BaseCommand, CommandError

from shaoxing_bases.audit.models import CheckpointKind
from shaoxing_bases.audit.services import CheckpointRefused, audit_checkpoint_write


class Command(BaseCommand):
    help = (
        "立即写入一个审计日志检查点（每日检查点由定时任务写入；维护前后可手动再写一个），"
        "并记入日志、发送邮件。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--note", default="", help="说明，如“数据库迁移前”。")

    def handle(self, *args, **options):
        try:
            checkpoint = audit_checkpoint_write(kind=CheckpointKind.MANUAL, note=options["note"])
        except CheckpointRefused as error:
            raise CommandError(f"检查点未写入：{error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"检查点 #{checkpoint.pk}：{checkpoint.entry_count} 条，外部留存：{checkpoint.anchor}"
            )
        )
