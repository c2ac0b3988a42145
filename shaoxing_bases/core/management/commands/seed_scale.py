import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from shaoxing_bases.core.scale import scale_steps


class Command(BaseCommand):
    help = (
        "生成省级规模的基准测试数据（约 5,000 个申报单位、五个批次 10,000 余个申报及其明细、初审判断、"
        "评审评分、公示与认定发文、3,000 个实训基地及五年的经费支持和年度报告、审计记录），"
        "用批量写入在几分钟内完成。请在单独的数据库上运行（见 docs/benchmarks.md）："
        "SCALE_DATABASE_URL=… make bench-scale。可重复运行：已有的规模数据不会重复生成。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--factor", type=float, default=1.0, help="规模系数（1.0 = 省级规模；冒烟测试用 0.02 之类）"
        )
        parser.add_argument("--only", default="", help="只运行这些步骤（逗号分隔的步骤名）")
        parser.add_argument("--skip-demo", action="store_true", help="不先运行 seed_demo（演示数据已存在时）")

    def handle(self, *args, **options):
        factor = options["factor"]
        if not 0 < factor <= 10:
            raise CommandError("--factor 须大于 0 且不超过 10。")
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("当前配置不允许载入演示或规模数据（生产配置）。")
        steps = scale_steps()
        only = {name.strip() for name in options["only"].split(",") if name.strip()}
        if unknown := only - {step.name for step in steps}:
            raise CommandError(
                f"未知的步骤：{'、'.join(sorted(unknown))}。可选：{'、'.join(s.name for s in steps)}"
            )
        self.stdout.write(f"数据库：{connection.settings_dict.get('NAME')}（{connection.vendor}）")
        started = time.perf_counter()
        if not options["skip_demo"]:
            call_command("seed_demo", stdout=self.stdout)
        for step in steps:
            if only and step.name not in only:
                continue
            began = time.perf_counter()
            for line in step.seed(factor):
                self.stdout.write(f"  {line}")
            self.stdout.write(f"{step.name}：{time.perf_counter() - began:.1f} 秒")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"规模数据就绪，共用时 {time.perf_counter() - started:.0f} 秒。")
        )
