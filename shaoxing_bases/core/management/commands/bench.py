import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from shaoxing_bases.core.benchmarking import (
    BASELINE,
    HOW_TO_READ,
    BenchmarkError,
    registered_targets,
    run_benchmark,
)
from shaoxing_bases.core.cost_benchmarks import cost_table, measure_costs

DATASETS = {"demo": "演示数据规模（seed_demo）", "scale": "省级规模（seed_scale）"}
HEADER = [
    "# 性能基准",
    "",
    "> 各数据规模的小节由 `python manage.py bench --dataset demo|scale` 生成"
    "（`make bench`、`make bench-scale`），",
    "> 重新运行即更新本规模的小节；小节以外的内容（怎么读、优化前后）是手写的，生成时原样保留。",
    "",
]


def dataset_sizes() -> str:
    """The rows behind the measurements (the tables that grow with the data)."""
    from django.apps import apps

    counted = [
        ("申报单位", "applications.ApplicantUnit"),
        ("申报", "applications.Application"),
        ("申报批次", "applications.Batch"),
        ("合作企业", "applications.PartnerEnterprise"),
        ("证明材料", "applications.Attachment"),
        ("条款人工判断", "review.ClauseJudgement"),
        ("推荐名单条目", "review.RecommendationEntry"),
        ("评分", "review.Score"),
        ("审计记录", "audit.AuditEntry"),
        ("用户", "accounts.User"),
    ]
    parts = []
    for label, name in counted:
        try:
            model = apps.get_model(name)
        except LookupError:
            continue
        parts.append(f"{label} {model.objects.count():,}")
    return "，".join(parts)


def replace_section(text: str, name: str, body: str) -> str:
    """``text`` with the generated section ``name`` replaced by ``body`` (appended when missing)."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _match: block, text)
    if not text.strip():
        return "\n".join([*HEADER, block, "", "## 怎么读", "", HOW_TO_READ, ""])
    # A new dataset's section goes before the hand-written part.
    marker = "\n## 怎么读"
    if marker in text:
        head, tail = text.split(marker, 1)
        return f"{head.rstrip()}\n\n{block}\n{marker}{tail}"
    return f"{text.rstrip()}\n\n{block}\n"


class Command(BaseCommand):
    help = (
        "测量主要页面的吞吐量（请求/秒）及其相对裸 Django 视图（匿名和已登录）的比值、每请求查询数，"
        "gunicorn 下 4 个并发客户端的 p50/p95、文档与导出相对裸库的耗时、工作进程峰值内存，"
        "结果写入 docs/benchmarks.md 中该数据规模的小节并打印到屏幕。需要先运行 seed_demo（或 seed_scale）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=2.0, help="每个目标每轮测量的秒数（默认 2）")
        parser.add_argument("--rounds", type=int, default=3, help="交错测量的轮数，取中位数（默认 3）")
        parser.add_argument("--warmup", type=int, default=20, help="每个目标的预热请求数（默认 20）")
        parser.add_argument(
            "--dataset", choices=sorted(DATASETS), default="demo", help="数据规模的名称（写入哪个小节）"
        )
        parser.add_argument(
            "--load",
            action="store_true",
            help="同时在 gunicorn（2 个工作进程）下用另一个进程的 4 个并发客户端测 p50/p95 和峰值内存",
        )
        parser.add_argument("--load-seconds", type=float, default=2.0, help="并发测量每个目标每轮的秒数")
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
        if options["load_seconds"] <= 0:
            raise CommandError("--load-seconds 必须大于 0。")
        output = Path(options["output"])
        dataset = options["dataset"]

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
        parts = [
            f"## {DATASETS[dataset]}",
            "",
            *report.summary(),
            f"- 数据量：{dataset_sizes()}",
            f"- 命令：`python manage.py bench --dataset {dataset}"
            f"{' --load' if options['load'] else ''}`（数据库 `{connection.settings_dict.get('NAME')}`）",
            "",
            "### 页面吞吐量（进程内）",
            "",
            report.table(),
            "",
            "### 文档与导出",
            "",
            "同一轮中交替计时、取中位数；“相对裸库”= 本平台耗时 ÷ 裸库完成同样工作的耗时（越小越好）。"
            "PDF 的裸库基线是把同样的文字放进普通段落直接交给 WeasyPrint；"
            "Excel 的基线是用 openpyxl 直接写入同样的行。",
            "",
            cost_table(costs),
            "",
        ]
        if options["load"]:
            from shaoxing_bases.core.load_bench import run_load_benchmark

            self.stderr.write("gunicorn 并发测量……", style_func=lambda text: text)
            try:
                load = run_load_benchmark(
                    [BASELINE, *registered_targets()], seconds=options["load_seconds"], rounds=rounds
                )
            except BenchmarkError as error:
                raise CommandError(str(error)) from error
            parts += [
                "### gunicorn 并发（2 个工作进程，另一进程中 4 个并发客户端）",
                "",
                f"每个目标每轮 {load.seconds:g} 秒，共 {load.rounds} 轮交错；"
                "p95 的比值以同一轮匿名裸视图的 p95 为基准。"
                f"工作进程峰值常驻内存（VmHWM）：**{load.worker_peak_rss_mb:.0f} MB**。",
                "",
                load.table(),
                "",
            ]
        section = "\n".join(parts)
        output.parent.mkdir(parents=True, exist_ok=True)
        existing = output.read_text(encoding="utf-8") if output.exists() else ""
        if existing and "<!-- bench:" not in existing:
            existing = ""  # the single-table format before datasets: regenerated whole
        output.write_text(replace_section(existing, dataset, section), encoding="utf-8")
        self.stdout.write(section)
        self.stdout.write(self.style.SUCCESS(f"结果已写入 {output}"))
