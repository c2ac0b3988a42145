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
