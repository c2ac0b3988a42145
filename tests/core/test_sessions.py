"""Sessions in the cache with the database behind (`cached_db`), and an idle timer that does not write
the session on every request: what a signed-in page costs before its own work (docs/benchmarks.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.settings import base

CACHED_DB = "django.contrib.sessions.backends.cached_db"


def _session_sql(queries) -> list[str]:
    return [query["sql"] for query in queries if "django_session" in query["sql"]]


def test_production_reads_sessions_from_the_cache():
    assert base.SESSION_ENGINE == CACHED_DB


@pytest.mark.django_db
def test_a_signed_in_request_reads_no_session_row(client, make_user, settings):
    settings.SESSION_ENGINE = CACHED_DB
    client.force_login(make_user(Role.CITY_HRSS))
    client.get("/help/")  # the first request stamps the idle timer (one write, through to the database)

    with CaptureQueriesContext(connection) as context:
        response = client.get("/help/")

    assert response.status_code == 200
    assert _session_sql(context.captured_queries) == []


@pytest.mark.django_db
def test_the_session_survives_a_lost_cache(client, make_user, settings):
    from django.core.cache import cache

    settings.SESSION_ENGINE = CACHED_DB
    client.force_login(make_user(Role.CITY_HRSS))
    client.get("/help/")
    cache.clear()  # Redis restarted: the database copy signs the user in

    response = client.get("/dashboard/")

    assert response.status_code == 200
    assert response.context["user"].is_authenticated


@pytest.mark.django_db
def test_the_idle_timer_does_not_write_the_session_on_every_request(client, make_user):
    client.force_login(make_user(Role.CITY_HRSS))
    client.get("/help/")

    with CaptureQueriesContext(connection) as context:
        client.get("/help/")

    writes = [sql for sql in _session_sql(context.captured_queries) if not sql.startswith("SELECT")]
    assert writes == []
