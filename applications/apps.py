from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申报"

    def ready(self) -> None:
        # Registration on import: the deadline sweep (tasks), the applicant's dashboard panel, the
        # open batches on the home page, the demo data and the benchmark targets of this area.
        from . import benchmarks, demo, home, panels, scale, tasks  # noqa: F401
        from .batches import jobs as _batch_jobs  # noqa: F401 - the export as a background job
