import pytest

from shaoxing_bases.accounts.enums import Role
from tests.a11y import axe_every_page, pytest_runtest_call  # noqa: F401  (axe-core in every browser test)
from tests.factories import UserFactory, region


@pytest.fixture(scope="session", autouse=True)
def _document_certificates():
    """A fresh demo CA and one certificate per bureau for this run (no key is ever committed):
    every issued document in the tests is really signed."""
    from shaoxing_bases.documents.certificates import throwaway_demo_signers

    with throwaway_demo_signers() as signers:
        yield signers


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The counties and the holiday table come from data migrations. A transactional test (every
    browser test's live server) flushes every table when it ends, so a database test that runs after
    it would find them gone: put them back, once per flush."""
    uses = set(request.fixturenames)
    if request.node.get_closest_marker("django_db") is None and not uses & {
        "db",
        "transactional_db",
        "live_server",
    }:
        return
    for name in ("transactional_db", "db"):
        if name in uses:
            request.getfixturevalue(name)
            break
    from review.publicity.holidays import seed_from_chinesecalendar
    from review.publicity.models import Holiday
    from shaoxing_bases.accounts.models import Region
    from shaoxing_bases.accounts.regions import ensure_shaoxing_counties

    if not Region.objects.exists():
        ensure_shaoxing_counties()
    if not Holiday.objects.exists():
        seed_from_chinesecalendar()


@pytest.fixture
def make_user(db):
    """make_user(role, county_code=None, **fields) → a saved user with TEST_PASSWORD."""

    def make(role: str = Role.APPLICANT, county_code: str | None = None, **fields):
        if role in Role.county_roles():
            fields.setdefault("region", region(county_code or "330602"))
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def users_by_role(make_user):
    """One user for every role (county roles in 越城区), keyed by role."""
    return {role: make_user(role, username=f"matrix_{role}") for role in Role.values}


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The password-reset counters and sent marks live in the cache: no test sees another's."""
    from django.core.cache import cache

    cache.clear()
