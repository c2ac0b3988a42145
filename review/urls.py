"""URLs of the review stages, mounted at /review/ under one namespace."""

from .decisions.urls import urlpatterns as decisions_urls
from .panels.urls import urlpatterns as panels_urls
from .publicity.urls import urlpatterns as publicity_urls
from .screening.urls import urlpatterns as screening_urls

app_name = "review"

urlpatterns = [*screening_urls, *panels_urls, *publicity_urls, *decisions_urls]
