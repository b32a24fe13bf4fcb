"""The contract forms rendered with `as_form` (core.rendering.crispy_form) are byte-identical to
`{{ form|crispy }}`: blank, filled in, with field errors and with errors of the whole form."""

import pytest
from django.template import Context, Template
from django.utils import translation

from contracts.forms import RepaymentForm, SavingsForm

CRISPY = Template("{% load crispy_forms_tags %}{{ form|crispy }}")
FAST = Template("{% load form_tags %}{{ form|as_form }}")
TOKEN = "0b6bb4f9-5b1c-4d55-8a57-0e2c6b5f3a10"


def forms_to_render():
    blank = RepaymentForm(initial={"token": TOKEN})
    filled = RepaymentForm({"token": TOKEN, "paid_on": "05/03/2567", "amount": "1,050", "note": "<b>x</b>"})
    filled.is_valid()
    wrong = RepaymentForm({"token": "nope", "paid_on": "31/02/2567", "amount": "-1", "pay_off": "on"})
    wrong.is_valid()
    refused = RepaymentForm({"token": TOKEN, "paid_on": "05/03/2567", "amount": "1"})
    refused.is_valid()
    refused.add_error(None, "The contract is closed.")
    savings = SavingsForm({"token": TOKEN, "on": "05/03/2567", "kind": "deposit", "amount": "x"})
    savings.is_valid()
    return [blank, filled, wrong, refused, savings]


@pytest.mark.parametrize("language", ["th", "en"])
def test_as_form_renders_what_crispy_renders(language):
    with translation.override(language):
        for form in forms_to_render():
            expected = CRISPY.render(Context({"form": form}))
            assert FAST.render(Context({"form": form})) == expected
            assert 'name="paid_on"' in expected or 'name="on"' in expected
