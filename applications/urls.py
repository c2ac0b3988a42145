"""URLs of the applications app; each area's views module owns its patterns."""

from .batches import views as batches
from .form import views as form
from .units import views as units
from .workflow import views as workflow

app_name = "applications"

urlpatterns = [*units.urlpatterns, *batches.urlpatterns, *form.urlpatterns, *workflow.urlpatterns]
