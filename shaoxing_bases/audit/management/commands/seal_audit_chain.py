from django.core.management.base import BaseCommand, CommandError

from shaoxing_bases.audit.integrity import verify_chain
from shaoxing_bases.audit.services import audit_chain_seal


class Command(BaseCommand):
    help = (
        "封存审计日志：核对无误后，为当前链头签名并写入封存检查点。"
        "用于升级到带密钥的审计链之后（为启用密钥前的旧记录作保）；记录被改动、删除或伪造时拒绝封存。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reason", required=True, help="封存原因，如“升级到带密钥的审计链，已核对旧记录”。"
        )
        parser.add_argument("--yes", action="store_true", help="不再询问，直接封存。")

    def handle(self, *args, **options):
        reason = options["reason"].strip()
        if not reason:
            raise CommandError("请用 --reason 写明封存原因。")
        result = verify_chain()
        if not result.sealable:
            lines = "\n".join(f"- {problem.message}" for problem in result.problems)
            raise CommandError(
                f"审计日志存在以下问题，不能封存（封存不能用来掩盖篡改）：\n{lines}\n"
                "请按 docs/operations.md“审计日志校验未通过”一节处置。"
            )
        self.stdout.write(
            f"将为当前审计日志作保：共 {result.entry_count} 条，"
            f"其中启用密钥前的旧记录 {result.legacy_count} 条。"
        )
        for problem in result.problems:
            self.stdout.write(f"- {problem.message}")
        if not options["yes"] and input("确认封存？输入 yes 继续：").strip() != "yes":
            raise CommandError("已取消，未封存。")
        checkpoint = audit_chain_seal(reason=reason)
        self.stdout.write(
            self.style.SUCCESS(
                f"已封存：检查点 #{checkpoint.pk}，{checkpoint.entry_count} 条，外部留存：{checkpoint.anchor}"
            )
        )
