"""review.scoring (DESIGN §6, the stable API): worked examples and properties."""

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review.scoring import (
    RankEntry,
    dispersed,
    final_score,
    final_score_from_sums,
    proposed_shortlist,
    rank,
    vote_carries,
)

D = Decimal

# Scores as an expert types them: 0–100 with at most two decimals.
scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


# --- worked examples -----------------------------------------------------------------------------


def test_final_score_of_four_is_the_mean():
    assert final_score([D("80"), D("90"), D("70"), D("85")]) == D("81.25")


def test_final_score_of_five_drops_one_highest_and_one_lowest():
    # 60 and 95 dropped: (80 + 85 + 90) / 3 = 85
    assert final_score([D("95"), D("80"), D("60"), D("85"), D("90")]) == D("85.00")


def test_final_score_drops_only_one_of_equal_extremes():
    assert final_score([D("90"), D("90"), D("70"), D("70"), D("80")]) == D("80.00")


def test_final_score_rounds_half_up_not_to_even():
    # mean 80.125 → 80.13 (banker's rounding would give 80.12)
    assert final_score([D("80.25"), D("80")]) == D("80.13")
    assert final_score([D("80.245"), D("80.245")]) == D("80.25")


def test_final_score_of_nine_experts():
    totals = [D(value) for value in ("88", "76.5", "91", "83", "79", "85.5", "90", "62", "87")]
    # drop 62 and 91: (88 + 76.5 + 83 + 79 + 85.5 + 90 + 87) / 7 = 589 / 7 = 84.142857…
    assert final_score(totals) == D("84.14")


def test_final_score_refuses_nothing_and_floats():
    with pytest.raises(ValueError, match="at least one score"):
        final_score([])
    with pytest.raises(TypeError):
        final_score([80.5])  # type: ignore[list-item]


def test_dispersion_flags_a_sheet_more_than_15_points_from_the_mean():
    totals = [D("80"), D("82"), D("84"), D("62")]  # mean 77
    assert dispersed(D("62"), totals) is False  # 15 exactly: not more than 15
    assert dispersed(D("61.99"), [D("80"), D("82"), D("84"), D("61.99")]) is True


def test_vote_carries_with_two_thirds_of_the_panel():
    assert vote_carries(6, 9) is True
    assert vote_carries(5, 9) is False
    assert vote_carries(2, 3) is True
    assert vote_carries(3, 5) is False  # 60 % < 2/3
    assert vote_carries(0, 0) is False


T0 = datetime(2026, 5, 1, 9, tzinfo=UTC)


def test_rank_by_score_then_training_scale_then_earlier_submission():
    entries = [
        RankEntry(key=1, score=D("85.00"), training_scale=D("120"), submitted_at=T0),
        RankEntry(key=2, score=D("88.00"), training_scale=D("100"), submitted_at=T0),
        RankEntry(key=3, score=D("85.00"), training_scale=D("130"), submitted_at=T0 + timedelta(days=1)),
        RankEntry(key=4, score=D("85.00"), training_scale=D("120"), submitted_at=T0 - timedelta(hours=1)),
    ]
    assert [entry.key for entry in rank(entries)] == [2, 3, 4, 1]


def test_rank_accepts_mappings():
    ranked = rank([{"key": "a", "score": D("70")}, {"key": "b", "score": D("90")}])
    assert [entry["key"] for entry in ranked] == ["b", "a"]


def test_proposed_shortlist_is_top_quota_above_the_pass_mark():
    entries = rank([RankEntry(key=k, score=D(s)) for k, s in enumerate(["90", "80", "75", "59.99", "70"])])
    assert [entry.key for entry in proposed_shortlist(entries, quota=3, pass_mark=D("60"))] == [0, 1, 2]
    assert [entry.key for entry in proposed_shortlist(entries, quota=10, pass_mark=D("72"))] == [0, 1, 2]


# --- properties ----------------------------------------------------------------------------------


@given(st.lists(scores, min_size=1, max_size=12), st.randoms())
def test_final_score_does_not_depend_on_the_order(values, random):
    shuffled = list(values)
    random.shuffle(shuffled)
    assert final_score(values) == final_score(shuffled)


@given(st.lists(scores, min_size=1, max_size=12))
def test_final_score_lies_between_the_lowest_and_the_highest(values):
    result = final_score(values)
    assert min(values) <= result <= max(values)
    assert result == result.quantize(D("0.01"))


@given(st.lists(scores, min_size=1, max_size=4))
def test_below_five_scores_nothing_is_trimmed(values):
    exact = sum(values, D(0)) / len(values)
    assert abs(final_score(values) - exact) <= D("0.005")


@given(st.lists(scores, min_size=5, max_size=12))
def test_from_five_scores_one_highest_and_one_lowest_are_trimmed(values):
    ordered = sorted(values)
    middle = ordered[1:-1]
    assert abs(final_score(values) - sum(middle, D(0)) / len(middle)) <= D("0.005")
    # An outlier added at either end of five or more scores moves nothing.
    assert final_score([*values, D(100), D(0)]) == final_score(
        [*ordered[1:-1], max(ordered), min(ordered), D(100), D(0)]
    )


entry_strategy = st.builds(
    RankEntry,
    key=st.integers(min_value=1, max_value=10_000),
    score=scores,
    training_scale=st.decimals(min_value=0, max_value=300, places=1),
    submitted_at=st.integers(min_value=0, max_value=1000).map(
        lambda minutes: T0 + timedelta(minutes=minutes)
    ),
)


@given(st.lists(entry_strategy, max_size=20, unique_by=lambda entry: entry.key), st.randoms())
def test_rank_does_not_depend_on_the_order(entries, random):
    shuffled = list(entries)
    random.shuffle(shuffled)
    assert rank(entries) == rank(shuffled)


@given(st.lists(entry_strategy, max_size=20, unique_by=lambda entry: entry.key))
def test_rank_orders_by_score_then_scale_then_time(entries):
    ranked = rank(entries)
    for first, second in itertools.pairwise(ranked):
        assert (first.score, first.training_scale, -first.submitted_at.timestamp()) >= (
            second.score,
            second.training_scale,
            -second.submitted_at.timestamp(),
        )


@given(st.lists(scores, min_size=1, max_size=12))
def test_the_sql_aggregate_form_equals_final_score(values):
    assert final_score_from_sums(len(values), sum(values, D(0)), min(values), max(values)) == final_score(
        values
    )
