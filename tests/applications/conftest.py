from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from applications.form.forms import VERSION_FIELD
from applications.form.services import application_version
from applications.models import Application


class BrowserLikeClient(Client):
    """A test client whose posts to a form section carry the application's current version token,
    as a browser that has just loaded the page sends it (`SectionForms.is_stale`).

    A test about outdated pages passes its own `version` (an old token, or "") and gets it unchanged.
    """

    def post(self, path, data=None, *args, **kwargs):
        data = {} if data is None else data
        if isinstance(data, dict) and VERSION_FIELD not in data:
            try:
                match = resolve(urlsplit(path).path)
            except Resolver404:
                match = None
            if match is not None and match.view_name == "applications:edit_section":
                application = Application.objects.filter(pk=match.kwargs["pk"]).first()
                if application is not None:
                    data = {**data, VERSION_FIELD: application_version(application)}
        return super().post(path, data, *args, **kwargs)


@pytest.fixture
def client():
    """pytest-django's `client`, posting section forms with the page's version token."""
    return BrowserLikeClient()


@pytest.fixture
def only_test_guards(monkeypatch):
    """Set aside the submission guards other apps register (review's), for tests that count this
    app's own queries; the returned registry starts empty and takes the test's guards."""
    from applications.workflow import services

    registry: list = []
    monkeypatch.setattr(services, "_submission_guards", registry)
    return registry
