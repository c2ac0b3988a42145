import logging
import time
from contextlib import ExitStack

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from shaoxing_bases.core.bench_smoke import run_smoke, smoke_table
from shaoxing_bases.core.scale import scale_steps
from shaoxing_bases.documents.certificates import throwaway_demo_signers


class Command(BaseCommand):
    help = (
        "基准冒烟测试（make bench-smoke，几十秒）：在临时测试数据库中先后以两种数据规模请求每个基准页面，"
        "查询数随数据增长（N+1）或页面不再分页时失败；从不比较耗时。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--small", type=float, default=0.01, help="小数据规模系数（默认 0.01）")
        parser.add_argument("--large", type=float, default=0.05, help="大数据规模系数（默认 0.05）")
        parser.add_argument(
            "--keep-database",
            action="store_true",
            help="使用当前数据库而不是新建临时测试数据库（数据会留下；只用于排查）",
        )

    def handle(self, *args, **options):
        small, large = options["small"], options["large"]
        if not 0 < small < large <= 1:
            raise CommandError("须满足 0 < --small < --large ≤ 1。")
        started = time.perf_counter()
        old_name = None
        if not options["keep_database"]:
            # A database of its own, created and dropped here, like the test runner's.
            connection.settings_dict.setdefault("TEST", {})
            connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_bench_smoke"
            old_name = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        # The demo's tasks and e-mails log at INFO; the smoke's own report is the table below.
        logging.disable(logging.WARNING)
        # The demo issues signed documents: with certificates of its own, never var/certs.
        signers = ExitStack()
        signers.enter_context(throwaway_demo_signers())
        try:
            call_command("seed_demo", stdout=_Quiet())

            def grow(factor: float) -> None:
                for step in scale_steps():
                    step.seed(factor)

            before, after, problems = run_smoke(grow, small, large)
        finally:
            signers.close()
            logging.disable(logging.NOTSET)
            if old_name is not None:
                connection.creation.destroy_test_db(old_name, verbosity=0)
        self.stdout.write(smoke_table(before, after))
        elapsed = time.perf_counter() - started
        if problems:
            raise CommandError("\n".join(["基准冒烟测试未通过：", *problems]))
        self.stdout.write(
            self.style.SUCCESS(f"基准冒烟测试通过：{len(after)} 个页面，用时 {elapsed:.0f} 秒。")
        )


class _Quiet:
    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass
