"""The WSGI application `make bench` starts under gunicorn: the project plus the bare view.

Only the benchmark loads this module (`core.load_bench`); the bare view is never among the URLs of
the deployed application (`shaoxing_bases.wsgi`).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shaoxing_bases.settings.local")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from .benchmarking import bench_urlconf  # noqa: E402

settings.ROOT_URLCONF = bench_urlconf(settings.ROOT_URLCONF)  # type: ignore[misc]
