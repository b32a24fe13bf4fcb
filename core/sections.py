"""Sections that apps higher up add to a page of an app lower down, so that the lower app imports none
of them (the center page shows visits' recommendations, households and contracts this way).

An app registers, in its AppConfig.ready(), a function `(obj, user) -> dict | None` for a page; the dict
names a `template` and carries that template's context. The page renders each with
`{% for section in sections %}{% include section.template %}{% endfor %}`.
"""

from collections.abc import Callable
from typing import Any

Section = Callable[[Any, Any], dict[str, Any] | None]
_sections: dict[str, list[Section]] = {}


def register(page: str, section: Section) -> Section:
    sections = _sections.setdefault(page, [])
    if section not in sections:
        sections.append(section)
    return section


def sections_for(page: str, obj: Any, user: Any) -> list[dict[str, Any]]:
    return [result for section in _sections.get(page, []) if (result := section(obj, user)) is not None]
