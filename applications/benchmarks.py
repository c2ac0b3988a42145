"""This area's pages and export in `make bench` (registered with `core`, which imports no app)."""

from shaoxing_bases.core.benchmarking import Target, register_targets
from shaoxing_bases.core.cost_benchmarks import CostRatio, measure_excel, register_cost

register_targets(
    Target("我的申报（申报单位）", "/applications/mine/", "applicant"),
    Target("申报单位列表（越城区人力社保局）", "/units/", "yuecheng_hrss"),
    Target("申报批次（市人力社保局）", "/batches/", "city_hrss"),
)


@register_cost
def measure_batch_export(repeats: int = 3) -> CostRatio | None:
    """The city's export of the newest batch (as city_hrss); None when there is nothing to export."""
    from django.contrib.auth import get_user_model

    from .batches.selectors import applications_for_export
    from .models import Batch
    from .resources import ApplicationExportResource
    from .spreadsheets import dataset_to_xlsx

    user = get_user_model().objects.filter(username="city_hrss").first()
    batch = Batch.objects.order_by("-year").first()
    if user is None or batch is None:
        return None

    def export() -> bytes:
        dataset = ApplicationExportResource().export(
            applications_for_export(user, batch), force_native_type=True
        )
        return dataset_to_xlsx(dataset)

    dataset = ApplicationExportResource().export(applications_for_export(user, batch), force_native_type=True)
    if not dataset.height:
        return None
    return measure_excel([list(dataset.headers), *(list(row) for row in dataset)], export, repeats)
