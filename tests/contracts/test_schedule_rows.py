"""The schedule rows built in Python (contract_tags.schedule_rows) are byte-identical to the template loop
they replace, in both languages."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

LOOP = Template(
    """{% for number, due_date, principal, interest, amount, saving, balance in lines %}
    <tr>
      <td>{{ number }}</td>
      <td>{{ due_date|date_be_short }}</td>
      <td class="money">{{ principal|baht_number }}</td>
      <td class="money">{{ interest|baht_number }}</td>
      <td class="money">{{ amount|baht_number }}</td>
      <td class="money">{{ saving|baht_number }}</td>
      <td class="money">{{ balance|baht_number }}</td>
    </tr>
    {% endfor %}"""
)
FILTER = Template("{% load contract_tags %}{{ lines|schedule_rows }}")
LINES = [
    (
        1,
        date(2025, 1, 31),
        Decimal("1234.50"),
        Decimal("12.34"),
        Decimal("1246.84"),
        Decimal("100.00"),
        Decimal("98765.50"),
    ),
    (
        12,
        date(2025, 12, 31),
        Decimal("0.00"),
        Decimal("1000000.01"),
        Decimal("5"),
        Decimal("0"),
        Decimal("0.00"),
    ),
]


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("lines", [LINES, []])
def test_schedule_rows_match_the_template_loop(language, lines):
    with translation.override(language):
        expected = LOOP.render(Context({"lines": lines}))
        assert FILTER.render(Context({"lines": lines})) == expected
    if lines:
        assert "<tr>" in expected
