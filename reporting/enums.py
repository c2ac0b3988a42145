"""States and choices of the training bases (clauses 5 and 6 of the Measures)."""

from django.db import models


class BaseState(models.TextChoices):
    """实训基地: active once the decision is issued; an assessment of 整改 puts it into rectification
    until a follow-up passes; 退出 (decided by the city) is final (clause 6.2)."""

    ACTIVE = "active", "正常运行"
    RECTIFYING = "rectifying", "限期整改"
    EXITED = "exited", "已退出"
