"""``manage.py render_samples DIR``: one sample PDF per registered document kind, for layout review."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shaoxing_bases.documents.registry import sample_builders


class Command(BaseCommand):
    help = (
        "把每一种已登记的公文样张渲染为 PDF，写入 DIR/<kind>.pdf，并打印路径和耗时。"
        "各应用在 <app>/documents.py 中用 register_sample 登记自己的样张。"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="输出目录（不存在时自动创建）")
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            metavar="KIND",
            help="只渲染指定种类（可重复）；默认渲染全部",
        )

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"无法创建输出目录 {directory}：{error}") from error

        builders = sample_builders()
        wanted = options.get("kinds")
        if wanted:
            unknown = sorted(set(wanted) - {builder.kind for builder in builders})
            if unknown:
                raise CommandError(f"没有登记这些样张种类：{'、'.join(unknown)}")
            builders = [builder for builder in builders if builder.kind in wanted]
        if not builders:
            raise CommandError("没有登记任何样张。")

        failures = []
        for builder in builders:
            started = time.perf_counter()
            try:
                pdf = builder.build()
                if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF"):
                    raise TypeError("生成函数没有返回 PDF 字节串")
            except Exception as error:
                # Keep going so that one broken kind does not hide the state of the others, then
                # fail the whole run: a CI step must not pass with a missing sample.
                failures.append(builder.kind)
                self.stderr.write(
                    self.style.ERROR(
                        f"✗ {builder.kind}（{builder.title}）生成失败：{type(error).__name__}: {error}"
                    )
                )
                continue
            path = directory / f"{builder.kind}.pdf"
            path.write_bytes(pdf)
            elapsed = time.perf_counter() - started
            self.stdout.write(f"{path}  {builder.title}  {elapsed:.2f} 秒  {len(pdf) // 1024} KB")

        if failures:
            raise CommandError(f"{len(failures)} 种样张生成失败：{'、'.join(failures)}")
        self.stdout.write(self.style.SUCCESS(f"已生成 {len(builders)} 份样张，目录 {directory}"))
