"""Seam for 浙江政务服务网 single sign-on: authorize → ticket → token → user info → local account.

The real client is written once the province issues the interface credentials; until then
`MockZwfwClient` answers in development and tests (local/test settings only: production settings
refuse to start with it). The backend never creates accounts and never links one by itself: an
administrator enters the 政务服务网 subject on an account the bureau has already opened
(`User.sso_subject`), and only that link signs anyone in.
"""

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django.urls import reverse
from django.utils.module_loading import import_string

MOCK_CLIENT_PATH = "shaoxing_bases.accounts.sso.MockZwfwClient"


class SSOError(Exception):
    """The ticket could not be exchanged or the identity is unknown."""


@dataclass(frozen=True)
class SSOIdentity:
    subject: str  # stable identifier from the province's system; matched against User.sso_subject
    username: str  # the province's account name, for logs only: never used to find an account
    name: str = ""


class ZwfwClient(Protocol):
    def authorize_url(self, *, state: str, callback: str) -> str:
        """Where to send the browser; the province returns to `callback` with ticket and state."""
        ...

    def exchange_ticket(self, ticket: str) -> str: ...

    def fetch_identity(self, token: str) -> SSOIdentity: ...


class MockZwfwClient:
    """Development stand-in: the ticket `mock-<name>` is the identity with subject `zwfw-<name>`.

    Its authorize URL is the dev-only page `accounts:sso_mock`, where one types the name.
    """

    prefix = "mock-"

    def authorize_url(self, *, state: str, callback: str) -> str:
        return f"{reverse('accounts:sso_mock')}?{urlencode({'state': state, 'callback': callback})}"

    def exchange_ticket(self, ticket: str) -> str:
        if not ticket.startswith(self.prefix) or len(ticket) <= len(self.prefix):
            raise SSOError("票据无效或已过期")
        return "token-" + ticket.removeprefix(self.prefix)

    def fetch_identity(self, token: str) -> SSOIdentity:
        username = token.removeprefix("token-")
        return SSOIdentity(subject=f"zwfw-{username}", username=username)


def get_client() -> ZwfwClient:
    return import_string(settings.ZWFW_SSO_CLIENT)()


def mock_client_configured() -> bool:
    return bool(settings.ZWFW_SSO_ENABLED) and isinstance(get_client(), MockZwfwClient)


class ZwfwSSOBackend(BaseBackend):
    """Authenticates `authenticate(request, ticket=...)` through the configured client.

    Only an account whose `sso_subject` an administrator has set to the identity's subject signs
    in; an unknown subject is refused even when a local account has the same user name.
    """

    def authenticate(self, request, ticket: str | None = None, **kwargs):
        if not ticket:
            return None
        client = get_client()
        try:
            identity = client.fetch_identity(client.exchange_ticket(ticket))
        except SSOError:
            return None
        if not identity.subject:
            return None
        user = get_user_model().objects.filter(sso_subject=identity.subject).first()
        return user if user is not None and user.is_active else None

    def get_user(self, user_id):
        return get_user_model().objects.filter(pk=user_id, is_active=True).first()
