"""Seam for 浙江政务服务网 single sign-on: ticket → token → user info → local account.

The real client is written once the province issues the interface credentials; until then
`MockZwfwClient` answers for development and tests. The backend never creates accounts: a
政务服务网 identity must be linked to an account the bureau has already opened.
"""

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django.utils.module_loading import import_string


class SSOError(Exception):
    """The ticket could not be exchanged or the identity is unknown."""


@dataclass(frozen=True)
class SSOIdentity:
    subject: str  # stable identifier from the province's system
    username: str  # account name, used once to link the identity to a local account
    name: str = ""


class ZwfwClient(Protocol):
    def exchange_ticket(self, ticket: str) -> str: ...

    def fetch_identity(self, token: str) -> SSOIdentity: ...


class MockZwfwClient:
    """Development stand-in: the ticket `mock-<username>` signs in as that local user."""

    prefix = "mock-"

    def exchange_ticket(self, ticket: str) -> str:
        if not ticket.startswith(self.prefix) or len(ticket) <= len(self.prefix):
            raise SSOError("票据无效或已过期")
        return "token-" + ticket.removeprefix(self.prefix)

    def fetch_identity(self, token: str) -> SSOIdentity:
        username = token.removeprefix("token-")
        return SSOIdentity(subject=f"zwfw-{username}", username=username)


def get_client() -> ZwfwClient:
    return import_string(settings.ZWFW_SSO_CLIENT)()


class ZwfwSSOBackend(BaseBackend):
    """Authenticates `authenticate(request, ticket=...)` through the configured client."""

    def authenticate(self, request, ticket: str | None = None, **kwargs):
        if not ticket:
            return None
        client = get_client()
        try:
            identity = client.fetch_identity(client.exchange_ticket(ticket))
        except SSOError:
            return None
        user_model = get_user_model()
        user = user_model.objects.filter(sso_subject=identity.subject).first()
        if user is None:
            user = user_model.objects.filter(username=identity.username, sso_subject__isnull=True).first()
            if user is None:
                return None
            user.sso_subject = identity.subject
            user.save(update_fields=["sso_subject"])
        return user if user.is_active else None

    def get_user(self, user_id):
        return get_user_model().objects.filter(pk=user_id, is_active=True).first()
