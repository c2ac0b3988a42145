"""Two workers issue the same document at the same moment (a redelivered task beside the sweep's):
both render and sign, one row and one file remain, and both get that one document.

Needs PostgreSQL (concurrent connections); SQLite serialises whole-database writes instead.
"""

import threading
from pathlib import Path

import pytest
from django.db import connection

from shaoxing_bases.documents import signing
from shaoxing_bases.documents.models import IssuedDocument
from shaoxing_bases.documents.samples import letter_specimen_context
from tests.factories import region


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_of_one_document_leave_one_document(settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent inserts across connections")
    related = region("330624")
    # Both threads pass the "already issued?" check before either inserts.
    checked = threading.Barrier(2)
    original = signing._existing
    calls: dict[int, int] = {}

    def existing_after_both_looked(*args):
        ident = threading.get_ident()
        calls[ident] = calls.get(ident, 0) + 1
        found = original(*args)
        if calls[ident] == 1:
            checked.wait(timeout=30)
        return found

    monkeypatch.setattr(signing, "_existing", existing_after_both_looked)
    results: list[int] = []
    errors: list[Exception] = []

    def issue():
        try:
            document = signing.document_issue(
                kind="letter_specimen",
                title="关于推荐市级高技能人才公共实训基地建设项目候选单位的函",
                number="新人社函〔2026〕3号",
                issuer="新昌县人力资源和社会保障局",
                signer="county_hrss_330624",
                template="documents/gbt9704_letter.html",
                context=letter_specimen_context(),
                related=related,
            )
            results.append(document.pk)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(results) == 2
    assert len(set(results)) == 1  # both got the same document
    assert IssuedDocument.objects.count() == 1
    assert len(list((Path(settings.MEDIA_ROOT) / "issued").rglob("*.pdf"))) == 1
