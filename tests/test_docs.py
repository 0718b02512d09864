"""The documentation keeps up with the code: every CLI command and option, and
every error class, is described in docs/guide.md."""
from __future__ import annotations

import re

import pytest
import typer

from jixiao import errors
from jixiao.cli import app


@pytest.fixture(scope="module")
def guide(repo_root) -> str:
    return (repo_root / "docs" / "guide.md").read_text(encoding="utf-8")


def _commands():
    root = typer.main.get_command(app)
    ctx = typer.Context(root, info_name="jixiao", **root.context_settings)
    yield None, root, ctx
    for name in root.list_commands(ctx):
        command = root.get_command(ctx, name)
        yield name, command, typer.Context(command, parent=ctx, info_name=name,
                                           **command.context_settings)


def _options():
    for name, command, ctx in _commands():
        params = list(command.get_params(ctx))
        for param in params:
            for opt in [*param.opts, *getattr(param, "secondary_opts", [])]:
                if opt.startswith("-"):
                    yield name or "jixiao", opt


def _error_classes(cls=errors.JixiaoError):
    yield cls
    for sub in cls.__subclasses__():
        yield from _error_classes(sub)


@pytest.mark.parametrize("name", [name for name, _, _ in _commands() if name])
def test_every_command_is_documented(guide, name):
    assert re.search(rf"^#+ .*`jixiao {re.escape(name)}`", guide, re.M), \
        f"docs/guide.md needs a section for `jixiao {name}`"


@pytest.mark.parametrize("command, option", sorted(set(_options())))
def test_every_option_is_documented(guide, command, option):
    assert re.search(rf"`{re.escape(option)}[` ]", guide), \
        f"option {option} of {command} is not documented in docs/guide.md"


@pytest.mark.parametrize("cls", list(_error_classes()), ids=lambda c: c.__name__)
def test_every_error_is_documented(guide, cls):
    assert f"`{cls.__name__}`" in guide, f"{cls.__name__} is not documented in docs/guide.md"


def test_error_classes_are_all_in_the_errors_module():
    # The one exception tree lives in jixiao/errors.py (drawn in its docstring).
    for cls in _error_classes():
        assert cls.__module__ == "jixiao.errors", cls
        assert cls.__name__ in errors.__doc__, f"{cls.__name__} missing from the tree drawing"


def test_readme_names_the_two_commands_and_links_docs(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    for link in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (repo_root / link).exists(), f"README links to missing {link}"
