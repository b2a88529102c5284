"""The layering rule, checked on the code itself: catalog at the bottom, votes and
comments above it (and not on each other), the site on top. Only the bottom web helpers
(kcry_site.web) and the member model (through settings.AUTH_USER_MODEL) are shared."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each app may import from kcry's own packages.
ALLOWED = {
    "catalog": {"catalog", "kcry_site.web"},
    "votes": {"votes", "catalog", "kcry_site.web"},
    "comments": {"comments", "catalog", "kcry_site.web"},
    "kcry_site/accounts": {"kcry_site.accounts", "kcry_site.web"},
    "kcry_site/web": {"kcry_site.web"},
}
OWN = ("catalog", "votes", "comments", "kcry_site")
# Template tag libraries each app's templates may load.
TAGS = {
    "catalog": {"i18n", "static", "humanize", "catalog_tags"},
    "votes": {"i18n", "static", "humanize", "votes_tags"},
    "comments": {"i18n", "static", "humanize", "comments_tags"},
}


def imports_of(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def allowed(module, prefixes):
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_apps_import_only_downwards(app):
    wrong = []
    for path in (ROOT / app).rglob("*.py"):
        for module in imports_of(path):
            if module.split(".")[0] in OWN and not allowed(module, ALLOWED[app]):
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong


@pytest.mark.parametrize("app", sorted(TAGS))
def test_lower_templates_load_no_upper_tags(app):
    wrong = []
    for path in (ROOT / app / "templates").rglob("*.html"):
        for loaded in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", path.read_text()):
            for library in loaded.split():
                if library not in TAGS[app]:
                    wrong.append(f"{path.relative_to(ROOT)} loads {library}")
    assert not wrong


def test_no_template_tag_module_touches_models():
    """Tags only format: the data reaches templates through selectors and views."""
    wrong = []
    for path in ROOT.glob("*/templatetags/*.py"):
        for module in imports_of(path):
            if module.endswith(".models") or module.endswith("selectors") or "threads" in module:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    for path in ROOT.glob("*/templatetags/*.py"):
        source = path.read_text()
        if ".objects." in source:
            wrong.append(f"{path.relative_to(ROOT)} queries")
    assert not wrong


def test_the_architecture_check_sees_a_violation(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from comments.models import Comment\n")
    assert not allowed(next(imports_of(sample)), ALLOWED["votes"])
