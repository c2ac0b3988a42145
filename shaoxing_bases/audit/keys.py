"""The audit trail's HMAC keys, from settings (the environment in production), never the database.

An attacker who can write the database but not read the server's environment cannot recompute an
entry's HMAC, a head's or a checkpoint's. Keys are told apart by a fingerprint (`key_id`) stored with
each row, so that after a key change (AUDIT_HMAC_KEY new, the old one in AUDIT_HMAC_OLD_KEYS) the
old rows still verify.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def key_id_for(key: bytes) -> str:
    """A fingerprint of ``key`` that reveals nothing about it."""
    return hmac.new(key, b"shaoxing-bases audit key id", hashlib.sha256).hexdigest()[:12]


def current_key() -> tuple[str, bytes]:
    """(key id, key) that signs new entries, heads and checkpoints."""
    raw = getattr(settings, "AUDIT_HMAC_KEY", "")
    if not raw:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY must be set: the audit trail is signed with it")
    key = raw.encode()
    return key_id_for(key), key


def verification_keys() -> dict[str, bytes]:
    """Every key a stored row may have been signed with, by key id."""
    raws = [getattr(settings, "AUDIT_HMAC_KEY", ""), *getattr(settings, "AUDIT_HMAC_OLD_KEYS", [])]
    return {key_id_for(raw.encode()): raw.encode() for raw in raws if raw}


def sign(key: bytes, domain: str, payload: str) -> str:
    """HMAC-SHA256 of ``payload`` for one kind of record (``domain``), so that a signature made for
    one kind can never be passed off as another's."""
    return hmac.new(key, f"{domain}\n{payload}".encode(), hashlib.sha256).hexdigest()


def signature_valid(keys: dict[str, bytes], key_id: str, domain: str, payload: str, mac: str) -> bool:
    key = keys.get(key_id)
    return key is not None and bool(mac) and hmac.compare_digest(sign(key, domain, payload), mac)
