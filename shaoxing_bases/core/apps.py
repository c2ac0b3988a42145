from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shaoxing_bases.core"
    label = "core"
    verbose_name = "门户"

    def ready(self) -> None:
        from . import jobs, rules  # noqa: F401 - the job sweeper and the job permission
        from .dashboard import Panel, register_panel

        register_panel(
            Panel(
                key="admin",
                title="系统管理",
                perm="core.use_admin_site",
                template="core/panels/admin.html",
                context=lambda user: {},
                order=900,
            )
        )
