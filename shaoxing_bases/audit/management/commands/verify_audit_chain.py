from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shaoxing_bases.audit.integrity import Anchor, verify_chain


class Command(BaseCommand):
    help = (
        "校验审计日志：每条记录的签名与衔接、链头、全部检查点，以及 --anchor 给出的外部留存检查点。"
        "发现记录被改动、插入、删除或整体清空时以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="记录数:末条ID:链头",
            help="本系统以外留存的检查点（检查点邮件或日志中给出），可重复。",
        )

    def handle(self, *args, **options):
        try:
            anchors = tuple(Anchor.parse(text) for text in options["anchor"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        result = verify_chain(anchors=anchors)
        if not result.ok:
            lines = "\n".join(f"- {problem.message}" for problem in result.problems)
            raise CommandError(
                f"审计日志校验未通过：\n{lines}\n处置方法见 docs/operations.md“审计日志”一节。"
            )
        parts = [f"审计日志完整：共 {result.entry_count} 条"]
        if result.legacy_count:
            parts.append(f"其中 {result.legacy_count} 条为启用密钥前的旧记录（已封存）")
        if result.latest_checkpoint is not None:
            latest = result.latest_checkpoint
            when = timezone.localtime(latest.created_at)
            parts.append(
                f"已核对 {result.checkpoints} 个检查点"
                f"（最近一个：{when:%Y-%m-%d %H:%M}，{latest.entry_count} 条）"
            )
        else:
            parts.append("尚无检查点")
        if anchors:
            parts.append(f"与 {len(anchors)} 个外部留存检查点一致")
        self.stdout.write(self.style.SUCCESS("，".join(parts) + "。"))
