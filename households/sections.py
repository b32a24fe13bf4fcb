"""Sections that apps above households add to the household page, so that households imports none of them.

An app registers, in its AppConfig.ready(), a function `(household, user) -> dict | None`; the dict names a
`template` and carries that template's context (as `section`). The debts app adds the debt registry this way,
and the contracts app can add the household's contract.
"""

from collections.abc import Callable
from typing import Any

from .models import Household

Section = Callable[[Household, Any], dict[str, Any] | None]
_sections: list[Section] = []


def register(section: Section) -> Section:
    if section not in _sections:
        _sections.append(section)
    return section


def sections_for(household: Household, user: Any) -> list[dict[str, Any]]:
    return [result for section in _sections if (result := section(household, user)) is not None]
