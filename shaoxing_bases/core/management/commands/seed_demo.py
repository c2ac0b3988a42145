from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shaoxing_bases.accounts.demo import DEMO_PASSWORD, seed_demo_accounts
from shaoxing_bases.core.demo import DEMO_STAGES, demo_seeders, only_stages


class Command(BaseCommand):
    help = (
        "创建或刷新演示数据（每个角色、每个区县一个账号，及各业务阶段的示例）。可重复运行，不会产生重复数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="在不允许演示数据的环境（生产配置）中仍然运行。会把演示工作人员账号的密码重置为公开的演示密码，慎用。",
        )
        parser.add_argument(
            "--stages",
            default="",
            help=f"只生成这些阶段的演示批次（逗号分隔：{'、'.join(DEMO_STAGES)}）；默认全部。浏览器测试用它加快准备。",
        )

    def handle(self, *args, **options):
        # The demo password is published in the README: on a real system this would open every
        # staff account of the same name to anyone who has read it.
        if not settings.DEMO_DATA_ALLOWED and not options["allow_production"]:
            raise CommandError(
                "当前配置不允许载入演示数据：seed_demo 会把 admin、city_hrss 等工作人员账号的密码重置为"
                "公开的演示密码。确需在此环境运行，请加参数 --allow-production。"
            )
        accounts = seed_demo_accounts()
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for account in accounts:
            self.stdout.write(f"  {account.username:<20} {account.display_name}")
        stages = frozenset(filter(None, (stage.strip() for stage in options["stages"].split(","))))
        if unknown := stages - set(DEMO_STAGES):
            raise CommandError(f"未知的阶段：{'、'.join(sorted(unknown))}。可选：{'、'.join(DEMO_STAGES)}")
        # Each area registered its seeder with core.demo (in workflow order); core imports none of them.
        with only_stages(stages or None):
            for seeder in demo_seeders():
                for line in seeder.seed():
                    self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪：{len(accounts)} 个工作人员账号及各阶段示例。"))
