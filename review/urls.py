"""URLs of the review stages, mounted at /review/ under one namespace."""

from .screening.urls import urlpatterns as screening_urls

app_name = "review"

urlpatterns = [*screening_urls]
