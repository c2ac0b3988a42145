"""Exceptions every app's services raise and every view turns into a Chinese message."""


class AlreadyHandled(Exception):
    """The object moved on meanwhile (a double click, a colleague, the clock): say 已处理, not 500."""

    def __init__(self, message: str = "该事项已处理，页面已刷新为最新状态。") -> None:
        super().__init__(message)
        self.message = message
