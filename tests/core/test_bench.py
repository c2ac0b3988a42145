"""`manage.py bench`: a tiny run against the test database, and the error when demo data is missing."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import Resolver404, resolve

from shaoxing_bases.core.benchmarking import BARE_PATH, BASELINE, registered_targets


def _table(markdown: str) -> tuple[list[str], list[list[str]], list[str]]:
    """(header cells, data rows' cells, the table's raw lines) of the results table."""
    lines = markdown.splitlines()
    separator = next(index for index, line in enumerate(lines) if line.startswith("|---"))
    end = separator + 1
    while end < len(lines) and lines[end].startswith("|"):
        end += 1

    def cells(line: str) -> list[str]:
        return [cell.strip() for cell in line.strip("|").split("|")]

    return (
        cells(lines[separator - 1]),
        [cells(line) for line in lines[separator + 1 : end]],
        lines[separator - 1 : end],
    )


@pytest.mark.django_db
def test_bench_writes_a_table_with_every_target_and_positive_ratios(tmp_path, capsys):
    call_command("seed_demo", stages="open,screening")
    output = tmp_path / "benchmarks.md"

    call_command("bench", "--seconds", "0.05", "--rounds", "2", "--warmup", "2", "--output", str(output))

    markdown = output.read_text(encoding="utf-8")
    header, rows, table_lines = _table(markdown)
    ratio, rate, queries = header.index("相对裸视图"), header.index("请求/秒"), header.index("查询/请求")
    targets = (BASELINE, *registered_targets())
    assert [row[0] for row in rows] == [target.label for target in targets]
    for target, row in zip(targets, rows, strict=True):
        assert f"`{target.path}`" in row
        assert float(row[ratio]) > 0
        assert float(row[rate]) > 0
        assert float(row[queries]) >= 0
    assert float(rows[0][ratio]) == pytest.approx(1.0)
    assert "Asia/Shanghai" in markdown
    assert "Django" in markdown
    assert "`sqlite`" in markdown or "`postgresql`" in markdown
    assert "\n".join(table_lines) in capsys.readouterr().out  # the same table on stdout


@pytest.mark.django_db
def test_bench_never_leaves_the_bare_view_in_the_project_urls(tmp_path):
    call_command("seed_demo", stages="open,screening")
    call_command(
        "bench", "--seconds", "0.01", "--rounds", "1", "--warmup", "0", "--output", str(tmp_path / "b.md")
    )
    with pytest.raises(Resolver404):
        resolve(BARE_PATH)


@pytest.mark.django_db
def test_bench_without_demo_users_asks_for_seed_demo(tmp_path):
    output = tmp_path / "benchmarks.md"
    with pytest.raises(CommandError, match=r"请先运行 python manage\.py seed_demo"):
        call_command("bench", "--seconds", "0.05", "--output", str(output))
    assert not output.exists()


def test_bench_rejects_a_non_positive_time_slice(tmp_path):
    with pytest.raises(CommandError, match="--seconds"):
        call_command("bench", "--seconds", "0", "--output", str(tmp_path / "b.md"))


@pytest.mark.django_db
def test_bench_reports_document_and_export_costs_against_the_bare_libraries(tmp_path):
    call_command("seed_demo", stages="open,screening")
    output = tmp_path / "benchmarks.md"
    call_command("bench", "--seconds", "0.02", "--rounds", "1", "--warmup", "1", "--output", str(output))
    section = output.read_text(encoding="utf-8").split("## 文档与导出", 1)[1]
    rows = {
        line.split("|")[1].strip(): line.split("|") for line in section.splitlines() if line.startswith("| ")
    }
    for label in ("公文 PDF（GB/T 9704 样张）", "申报汇总 Excel 导出"):
        assert float(rows[label][-2]) > 0, label
