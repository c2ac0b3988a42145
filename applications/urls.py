"""URLs of the applications app; each view module owns its own patterns."""

from .views import batches, editing, units, workflow

app_name = "applications"

urlpatterns = [*units.urlpatterns, *batches.urlpatterns, *editing.urlpatterns, *workflow.urlpatterns]
