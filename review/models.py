"""The models of every review stage, so that Django finds them in the ``review`` app.

Each stage keeps its models in its own package (``review/screening/models.py``, later panels,
publicity and decisions); they all belong to this one app and share its migrations.
"""

from .decisions.models import ApprovalLetter, Decision, DecisionItem, OutboxMessage
from .panels.models import (
    Draw,
    Expert,
    Panel,
    PanelMember,
    RankingEntry,
    RubricIndicator,
    Score,
    ScoreSheet,
    ScoringReminder,
)
from .publicity.models import Holiday, Objection, Publicity, PublicityEntry
from .screening.models import (
    ClauseJudgement,
    FinanceOpinion,
    Recommendation,
    RecommendationEntry,
    ScreeningReminder,
    letter_path,
)

__all__ = [
    "ApprovalLetter",
    "ClauseJudgement",
    "Decision",
    "DecisionItem",
    "Draw",
    "Expert",
    "FinanceOpinion",
    "Holiday",
    "Objection",
    "OutboxMessage",
    "Panel",
    "PanelMember",
    "Publicity",
    "PublicityEntry",
    "RankingEntry",
    "Recommendation",
    "RecommendationEntry",
    "RubricIndicator",
    "Score",
    "ScoreSheet",
    "ScoringReminder",
    "ScreeningReminder",
    "letter_path",
]
