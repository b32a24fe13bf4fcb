"""Form fields rendered in Python, to the byte what the templates render (first written for the visits
pages, used by the contract forms too).

The report form has some twenty fields; through templates each costs a crispy-forms `field.html` (with three
includes) and a Django widget template (with its own includes, one per `<option>`), which made rendering
the form most of the page's time. Two pieces replace them, each for the common cases only and falling back
to the templates for everything else:

- the project's form renderer, `core.renderers.FastWidgetRenderer`: the standard `<input>`, `<textarea>`
  and `<select>` widget templates of Django;
- `crispy_field(field)`, behind the `as_form_field` filter of `core.templatetags.form_tags` (and of
  `visits_tags`): crispy-bootstrap5's `bootstrap5/field.html` as `{{ field|as_crispy_field }}` renders it
  (no form helper); `crispy_form(form)`, behind `as_form`: `{{ form|crispy }}` from those fields.

tests/visits/test_rendering.py checks both against the templates on every field of the visits forms, blank,
filled in and with errors; tests/contracts/test_form_rendering.py the contract forms that use `as_form`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form, optgroups
from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from django import forms
from django.conf import settings
from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe

from core.renderers import Unexpected, attrs_html

# What a template's {{ value }} needs from its context (the form renderer's templates: autoescaping on).
_CONTEXT = SimpleNamespace(autoescape=True, use_l10n=None, use_tz=None)


def _text(value: Any) -> str:
    """`{{ value }}`: localized and escaped unless already safe."""
    return render_value_in_context(value, _CONTEXT)


# --- crispy-bootstrap5's field.html ------------------------------------------------------------------------


def _crispy_widget(field: forms.BoundField, css: str) -> str:
    """`{% crispy_field field 'class' css %}`: the widget's classes completed as crispy-forms does."""
    widget = field.field.widget
    class_name = widget.__class__.__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    widget.attrs["class"] = css_class
    for name in css.split():
        if name not in widget.attrs["class"].split():
            widget.attrs["class"] += f" {name}"
    return str(field)


def _help_text_and_errors(field: forms.BoundField) -> str:
    """bootstrap5/layout/help_text_and_errors.html (errors as paragraphs, help text below them)."""
    return f"\n\n\n    {_errors_block(field)}\n\n\n\n    {_help_text(field)}\n\n"


def _help_text(field: forms.BoundField) -> str:
    """bootstrap5/layout/help_text.html (below the field)."""
    if not field.help_text:
        return "\n"
    helptext_id = f'id="{_text(field.auto_id)}_helptext" ' if field.auto_id else ""
    return f'\n    \n        <div {helptext_id}class="form-text">{field.help_text!s}</div>\n    \n\n'


def _errors_block(field: forms.BoundField) -> str:
    """bootstrap5/layout/field_errors_block.html"""
    errors = field.errors
    if not errors:
        return "\n"
    auto_id = _text(field.auto_id)
    out = [f'\n    <div id="{_text(getattr(errors, "field_id", ""))}_error" class="invalid-feedback">\n    ']
    for number, error in enumerate(errors, 1):
        out.append(f'\n        <p id="error_{number}_{auto_id}"><strong>{_text(error)}</strong></p>\n    ')
    out.append("\n    </div>\n\n")
    return "".join(out)


def _unlocalized(value: Any) -> str:
    """`{{ value|unlocalize }}`"""
    return _text(str(formats.localize(value, use_l10n=False)))


def _radio_checkbox_select(field: forms.BoundField) -> str:
    """bootstrap5/layout/radio_checkbox_select.html (no field_class, not inline)."""
    invalid = " is-invalid" if field.errors else ""
    name = _text(field.html_name)
    out = ["\n\n\n<div >\n\n    "]
    groups = optgroups(field)
    for group_number, (group, options, _index) in enumerate(groups, 1):
        out.append(f"\n    <strong>{_text(group)}</strong>\n    " if group else "\n    \n    ")
        for number, option in enumerate(options, 1):
            out.append(
                f'\n      <div class="form-check">\n        <input type="{_text(option["type"])}" '
                f'class="form-check-input{invalid}"  name="{name}" value="{_unlocalized(option["value"])}" '
                f"{attrs_html(option['attrs'])}>\n        "
                f'<label for="{_text(option["attrs"].get("id", ""))}" '
                f'class="form-check-label">\n            {_unlocalized(option["label"])}'
                "\n        </label>\n        "
            )
            if invalid and number == len(options) and group_number == len(groups):
                out.append(f"\n            {_errors_block(field)}\n        ")
            out.append("\n     </div>\n    ")
        out.append("\n    ")
    out.append(f"\n\n</div>\n\n{_help_text(field)}\n")
    return "".join(out)


def _supported(field: forms.BoundField) -> bool:
    widget = field.field.widget
    return (
        getattr(field.form, "helper", None) is None
        and not hasattr(widget, "widgets")
        and not hasattr(widget, "widget")
    )


def _file_input(field: forms.BoundField) -> str:
    """bootstrap5/layout/field_file.html, for a file input without a file already stored (the form's
    `is_initial` part, with its link and clear checkbox, is left to the template)."""
    invalid = bool(field.errors)
    disabled = " disabled" if field.field.disabled else ""
    div_class = ' class="is-invalid"' if invalid else ""
    out = ["\n\n"]
    for widget in field.subwidgets:
        data = widget.data
        if data.get("is_initial"):
            raise Unexpected(field.html_name)
        css = data["attrs"].get("class")
        attrs = "".join(
            f" {_text(name)}" if value is True else f' {_text(name)}="{_text(str(value))}"'
            for name, value in data["attrs"].items()
            if value is not False and name != "class"
        )
        out.append(
            f"\n\n<div{div_class}>\n"
            f'    <input type="{_text(data["type"])}" name="{_text(data["name"])}" class="form-control'
            f'{" " + _text(css) if css else ""}{" is-invalid" if invalid else ""}"{disabled}{attrs}>\n'
            f"    {_help_text_and_errors(field)}\n</div>\n"
        )
    out.append("\n")
    return "".join(out)


def _checkbox_input(field: forms.BoundField, label: str, required_class: str, asterisk: str) -> str:
    """The checkbox branch of field.html: the box, then its label."""
    css = "form-check-input is-invalid" if field.errors else "form-check-input"
    return (
        f"\n                    \n                        {_crispy_widget(field, css)}"
        f'\n                    \n                <label for="{_text(field.id_for_label)}" '
        f'class="form-check-label{required_class}">\n                    {label}{asterisk}'
        f"\n                </label>\n                {_help_text_and_errors(field)}\n            "
    )


def _other_input(field: forms.BoundField) -> str:
    """The last branch of field.html: a select, or an input or text area, with its help text and errors."""
    invalid = " is-invalid" if field.errors else ""
    indent = "\n                        "
    if isinstance(field.field.widget, forms.FileInput):  # its help text and errors are in field_file.html
        return (
            f"\n                \n                    {indent}{_file_input(field)}\n                    "
            "\n                    \n                \n            "
        )
    if isinstance(field.field.widget, forms.Select):
        widget = _crispy_widget(field, f"form-select{invalid}")
        html = f"{indent}{indent}    {widget}{indent}\n                    "
    else:
        widget = _crispy_widget(field, f"form-control{invalid}")
        html = f"{indent}{widget}\n                    "
    return (
        f"\n                \n                    {html}\n                    "
        f"{indent}{_help_text_and_errors(field)}\n                    \n                \n            "
    )


def crispy_field(field: forms.BoundField) -> SafeString:
    """What `{{ field|as_crispy_field }}` renders with crispy-bootstrap5, for a form without a helper.

    Every value put in is escaped here (or is HTML that Django made safe: widgets, the help text that
    field.html shows with |safe), as the template does.
    """
    if not _supported(field):
        return as_crispy_field(field)
    try:
        return _crispy_field(field)
    except Unexpected:  # a value the Python rendering does not copy exactly
        return as_crispy_field(field)


def _crispy_field(field: forms.BoundField) -> SafeString:
    if field.is_hidden:
        return mark_safe(f"\n\n\n    {field}\n\n")  # noqa: S308 (a widget rendered by Django)
    widget = field.field.widget
    checkbox = isinstance(widget, forms.CheckboxInput)
    choices = isinstance(widget, forms.RadioSelect)  # radio buttons, and CheckboxSelectMultiple
    required_class = " requiredField" if field.field.required else ""
    asterisk = '<span class="asteriskField">*</span>' if field.field.required else ""
    label = _text(field.label)
    out = ["\n\n\n    "]
    if checkbox:
        out.append('\n        <div class="mb-3">\n        \n    ')
    css_classes = field.css_classes()
    wrapper_class = "form-check" if checkbox else "mb-3"
    if css_classes:
        wrapper_class += f" {_text(css_classes)}"
    out.append(f'\n    <div id="div_{_text(field.auto_id)}" class="{wrapper_class}">\n        ')
    fieldset = field.use_fieldset
    if field.label and not checkbox:
        out.append("\n            ")
        if fieldset:
            describedby = getattr(field, "aria_describedby", None)
            out.append(f'<fieldset aria-describedby="{_text(describedby)}">' if describedby else "<fieldset>")
        tag = "legend" if fieldset else "label"
        label_for = f'for="{_text(field.id_for_label)}"' if field.id_for_label else ""
        out.append(
            f"\n            <{tag}\n                {label_for} "
            f'class="form-label{required_class}{" fs-6" if fieldset else ""}">'
            f"\n                {label}{asterisk}\n            </{tag}>\n        "
        )
    if choices:
        out.append(f"\n\n        \n            {_radio_checkbox_select(field)}\n        \n\n        ")
    else:
        out.append("\n\n        \n\n        \n            ")
        if checkbox:
            out.append(_checkbox_input(field, label, required_class, asterisk))
        else:
            out.append(_other_input(field))
        out.append("\n        ")
    out.append("\n        ")
    if fieldset and field.label:
        out.append("</fieldset>")
    out.append("\n    </div>\n    ")
    if checkbox:
        out.append("\n        \n        </div>\n    ")
    out.append("\n\n")
    return mark_safe("".join(out))  # noqa: S308 (values escaped above, as the template does)


def crispy_form(form: forms.BaseForm) -> SafeString:
    """What `{{ form|crispy }}` renders with crispy-bootstrap5 (bootstrap5/uni_form.html), for a form without
    a helper, media or errors of its own: its fields as crispy_field renders them, then crispy-forms'
    `{% specialspaceless %}`; the template renders the others."""
    if getattr(form, "helper", None) is not None or str(form.media) or form.non_field_errors():
        return as_crispy_form(form)
    fields = "".join(f"\n        {crispy_field(field)}\n    " for field in form)
    html = f"\n    \n    \n        \n\n    \n    {fields}\n"
    return mark_safe(f"\n\n{remove_spaces(html.strip())}\n")  # noqa: S308 (fields rendered as above)
