from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "评审"

    def ready(self) -> None:
        # Registration on import: the minute sweepers, the guard on the units' submissions and the
        # dashboard panels of each stage.
        from .decisions import benchmarks as _decision_benchmarks  # noqa: F401
        from .decisions import demo as _decision_demo  # noqa: F401
        from .decisions import panels as _decision_dashboard  # noqa: F401
        from .decisions import scale as _decision_scale  # noqa: F401
        from .decisions import tasks as _decision_tasks  # noqa: F401
        from .panels import benchmarks as _panel_benchmarks  # noqa: F401
        from .panels import demo as _panel_demo  # noqa: F401
        from .panels import panels as _panel_dashboard  # noqa: F401
        from .panels import scale as _panel_scale  # noqa: F401
        from .panels import stages as _panel_stages  # noqa: F401
        from .panels import tasks as _panel_tasks  # noqa: F401
        from .publicity import benchmarks as _publicity_benchmarks  # noqa: F401
        from .publicity import demo as _publicity_demo  # noqa: F401
        from .publicity import home as _publicity_home  # noqa: F401
        from .publicity import panels as _publicity_dashboard  # noqa: F401
        from .publicity import scale as _publicity_scale  # noqa: F401
        from .publicity import stages as _publicity_stages  # noqa: F401
        from .publicity import tasks as _publicity_tasks  # noqa: F401
        from .screening import benchmarks, demo, guards, panels, tasks  # noqa: F401
        from .screening import scale as _screening_scale  # noqa: F401
