"""发文字号: one gap-free sequence per prefix and year, safe when two letters go out at once."""

import threading

import pytest
from django.db import connection, transaction

from shaoxing_bases.documents.models import DocumentNumberSequence
from shaoxing_bases.documents.numbering import document_number_allocate


@pytest.mark.django_db
def test_numbers_follow_each_other_per_prefix_and_year():
    with transaction.atomic():
        assert document_number_allocate(prefix="越人社", year=2026) == "越人社〔2026〕1号"
        assert document_number_allocate(prefix="越人社", year=2026) == "越人社〔2026〕2号"
        assert document_number_allocate(prefix="柯人社", year=2026) == "柯人社〔2026〕1号"
        assert document_number_allocate(prefix="越人社", year=2027) == "越人社〔2027〕1号"


@pytest.mark.django_db
def test_a_number_taken_by_an_action_that_rolls_back_is_given_again():
    class Refused(Exception):
        pass

    def issue_then_fail():
        with transaction.atomic():
            assert document_number_allocate(prefix="越人社", year=2026) == "越人社〔2026〕1号"
            raise Refused

    with pytest.raises(Refused):
        issue_then_fail()
    with transaction.atomic():
        assert document_number_allocate(prefix="越人社", year=2026) == "越人社〔2026〕1号"


@pytest.mark.django_db(transaction=True)  # no test transaction around it: autocommit, as a stray call
def test_outside_a_transaction_it_refuses_rather_than_risk_a_gap():
    with pytest.raises(RuntimeError):
        document_number_allocate(prefix="越人社", year=2026)


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_consecutive_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def issue():
        try:
            start.wait()
            with transaction.atomic():
                numbers.append(document_number_allocate(prefix="越人社", year=2026))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers, key=lambda n: int(n.split("〕")[1][:-1])) == [
        f"越人社〔2026〕{n}号" for n in range(1, 7)
    ]
    assert DocumentNumberSequence.objects.get(prefix="越人社", year=2026).last == 6
