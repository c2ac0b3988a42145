from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shaoxing_bases.core.benchmarking import BenchmarkError, run_benchmark
from shaoxing_bases.core.cost_benchmarks import cost_table, measure_costs


class Command(BaseCommand):
    help = (
        "测量主要页面的吞吐量（请求/秒）及其相对裸 Django 视图的比值、每请求查询数，"
        "结果写入 docs/benchmarks.md 并打印到屏幕。需要先运行 seed_demo。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=2.0, help="每个目标每轮测量的秒数（默认 2）")
        parser.add_argument("--rounds", type=int, default=3, help="交错测量的轮数，取中位数（默认 3）")
        parser.add_argument("--warmup", type=int, default=20, help="每个目标的预热请求数（默认 20）")
        parser.add_argument(
            "--output",
            default=str(settings.BASE_DIR / "docs" / "benchmarks.md"),
            help="Markdown 结果文件（默认 docs/benchmarks.md）",
        )

    def handle(self, *args, **options):
        seconds, rounds, warmup = options["seconds"], options["rounds"], options["warmup"]
        if seconds <= 0:
            raise CommandError("--seconds 必须大于 0。")
        if rounds < 1:
            raise CommandError("--rounds 至少为 1。")
        if warmup < 0:
            raise CommandError("--warmup 不能为负数。")
        output = Path(options["output"])

        try:
            report = run_benchmark(
                seconds=seconds,
                rounds=rounds,
                warmup=warmup,
                progress=lambda message: self.stderr.write(message, style_func=lambda text: text),
            )
        except BenchmarkError as error:
            raise CommandError(str(error)) from error

        costs = measure_costs(repeats=rounds)
        cost_section = "\n".join(
            [
                "## 文档与导出",
                "",
                "同一轮中交替计时、取中位数；“相对裸库”= 本平台耗时 ÷ 裸库完成同样工作的耗时（越小越好）。",
                "PDF 的裸库基线是把同样的文字放进一个普通段落直接交给 WeasyPrint；Excel 的基线是用 openpyxl",
                "直接写入同样的行。",
                "",
                cost_table(costs),
                "",
            ]
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report.to_markdown() + "\n" + cost_section, encoding="utf-8")
        self.stdout.write("\n".join([*report.summary(), "", report.table(), "", cost_section]))
        self.stdout.write(self.style.SUCCESS(f"结果已写入 {output}"))
