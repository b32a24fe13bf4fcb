"""Templates follow the apps' layering too (import-linter checks the Python, `make lint`): a template of an
app loads no template tag library and includes no template of an app above it. The project-level templates
(base.html, includes/) belong to core, the bottom layer. And an app's code names only its own templates (and
core's), so that a template is where the code that renders it says."""

import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# The layers of the import-linter contract in pyproject.toml, bottom first.
_CONTRACTS = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())["tool"]["importlinter"]
LAYERS = next(c["layers"] for c in _CONTRACTS["contracts"] if c["type"] == "layers")[::-1]
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
INCLUDE = re.compile(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""")


def app_of_template(path: Path) -> str:
    first = path.relative_to(TEMPLATES).parts[0]
    return first if first in LAYERS else "core"


def app_of_library(name: str) -> str | None:
    module = engines["django"].engine.libraries[name]  # the dotted path of the tag module
    top = module.split(".")[0]
    return top if top in LAYERS else None  # Django's and other libraries' tags sit below every app


def violations(path: Path) -> list[str]:
    app = app_of_template(path)
    text = path.read_text()
    found = []
    for names in LOAD.findall(text):
        for name in names.split():
            owner = app_of_library(name)
            if owner and LAYERS.index(owner) > LAYERS.index(app):
                found.append(f"{path.relative_to(TEMPLATES)} ({app}) loads {name} of {owner}")
    for included in INCLUDE.findall(text):
        owner = included.split("/")[0] if "/" in included else "core"
        if owner in LAYERS and LAYERS.index(owner) > LAYERS.index(app):
            found.append(f"{path.relative_to(TEMPLATES)} ({app}) includes {included} of {owner}")
    return found


def test_the_check_sees_a_template_that_loads_a_higher_apps_tags(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.TEMPLATES", tmp_path)
    (tmp_path / "centers").mkdir()
    bad = tmp_path / "centers" / "page.html"
    bad.write_text('{% load i18n visits_tags %}{% include "contracts/includes/schedule.html" %}')
    assert violations(bad) == [
        "centers/page.html (centers) loads visits_tags of visits",
        "centers/page.html (centers) includes contracts/includes/schedule.html of contracts",
    ]


def template_id(path: Path) -> str:
    return str(path.relative_to(TEMPLATES))


def test_the_layers_are_the_installed_apps_in_order():
    assert [app for app in settings.INSTALLED_APPS if app in LAYERS] == LAYERS
    assert LAYERS[0] == "core"
    assert len(LAYERS) == 10


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=template_id)
def test_no_template_reaches_up_the_layers(path):
    assert violations(path) == []


# A template belongs to the app whose code names it (templates/<app>/...), so that it is found one guess away;
# an app may also name the project's and core's templates (includes/, core/), which sit below every app.
TEMPLATE_NAME = re.compile(r"""["']([a-z_]+)/[\w/.-]+\.html["']""")


def foreign_templates(app_dir: Path) -> list[str]:
    app = app_dir.name
    found = []
    for source in sorted(app_dir.rglob("*.py")):
        for owner in TEMPLATE_NAME.findall(source.read_text()):
            if owner in LAYERS and owner not in (app, "core"):
                found.append(f"{source.relative_to(app_dir.parent)} names a template of {owner}")
    return found


def test_the_check_sees_an_app_that_renders_another_apps_template(tmp_path):
    (tmp_path / "debts").mkdir()
    (tmp_path / "debts" / "selectors.py").write_text(
        'A = "households/includes/center_households.html"\nB = "debts/x.html"\nC = "core/includes/c.html"\n'
    )
    assert foreign_templates(tmp_path / "debts") == ["debts/selectors.py names a template of households"]


@pytest.mark.parametrize("app", [app for app in LAYERS if app != "core"])
def test_an_app_names_only_its_own_templates(app):
    assert foreign_templates(Path(settings.BASE_DIR) / app) == []
