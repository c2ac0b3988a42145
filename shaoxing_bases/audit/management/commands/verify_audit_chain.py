from django.core.management.base import BaseCommand, CommandError

from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.audit.services import audit_chain_breaks


class Command(BaseCommand):
    help = "校验审计日志哈希链：发现被篡改或删除的记录时以非零状态退出。"

    def handle(self, *args, **options):
        entries = AuditEntry.objects.order_by("id").iterator(chunk_size=2000)
        broken = audit_chain_breaks(entries)
        if broken:
            raise CommandError(f"审计日志哈希链断裂，涉及记录：{', '.join(map(str, broken[:20]))}")
        self.stdout.write(self.style.SUCCESS(f"审计日志哈希链完整（共 {AuditEntry.objects.count()} 条）。"))
