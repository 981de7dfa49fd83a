"""Learner text made safe for a terminal, a CI log or a PR comment."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WORKFLOW_COMMAND = re.compile(r"^([^\S\n]*):(?=:)", re.MULTILINE)


def neutral_text(text: str) -> str:
    """No control characters (ANSI escapes, carriage returns) and no line that starts with `::`.

    GitHub Actions reads a line starting with `::` as a workflow command (`::error`,
    `::add-mask`, `::stop-commands`, `::set-output`); a zero-width space between the colons
    shows the same text and commands nothing.
    """
    text = _CONTROL.sub("\ufffd", text.replace("\r\n", "\n"))
    return _WORKFLOW_COMMAND.sub("\\1:\u200b", text)


def neutralise(model: object) -> None:
    """Apply `neutral_text` to every string in a report, in place."""
    from pydantic import BaseModel

    if not isinstance(model, BaseModel):
        return
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, str):
            setattr(model, name, neutral_text(value))
        elif isinstance(value, BaseModel):
            neutralise(value)
        elif isinstance(value, list):
            cleaned = []
            for v in value:
                if isinstance(v, BaseModel):
                    neutralise(v)
                cleaned.append(neutral_text(v) if isinstance(v, str) else v)
            setattr(model, name, cleaned)
