"""deploy/ stays true to the code: every unit runs a real `ambassade` command, every
variable of the environment file is a real setting and every setting is in it.

The layout is text that nothing executes in the test suite otherwise: without these
checks a renamed command or setting would leave it silently wrong.
"""

from __future__ import annotations

import argparse
import configparser
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import ambassade
from ambassade import cli

ROOT = Path(ambassade.__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("ambassade*.*"))
SERVICES = [unit for unit in UNITS if unit.suffix == ".service"]
# Read by the settings for the test suite only; never an operator's setting.
TEST_ONLY = {"AMBASSADE_TESTING"}


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(
        strict=True, interpolation=None, delimiters=("=",), comment_prefixes=("#", ";")
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read_string(path.read_text(), source=str(path))
    return parser


def _commands() -> set[str]:
    (subcommands,) = [
        action
        for action in cli._parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    ]
    return set(subcommands.choices)


def _environment() -> dict[str, str]:
    """deploy/ambassade.env as systemd reads it (quotes around a value removed)."""
    values = {}
    for number, line in enumerate((DEPLOY / "ambassade.env").read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith(("#", ";")):
            continue
        name, separator, value = line.partition("=")
        assert separator and re.fullmatch(r"[A-Z][A-Z0-9_]*", name), f"line {number}: {line!r}"
        assert name not in values, f"{name} is set twice"
        values[name] = value[1:-1] if value[:1] == value[-1:] == '"' and value else value
    return values


def _settings_read() -> set[str]:
    source = (ROOT / "ambassade" / "settings.py").read_text()
    return set(re.findall(r"config\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", source)) - TEST_ONLY


def test_the_layout_has_every_process() -> None:
    names = {unit.name for unit in UNITS}
    expected = {"ambassade-web.service", "ambassade-redirect.service"}
    expected |= {"ambassade-worker@.service", "ambassade-scheduler.service"}
    expected |= {"ambassade-backup.service", "ambassade-backup.timer", "ambassade.target"}
    assert expected <= names


@pytest.mark.parametrize("path", SERVICES, ids=lambda path: path.name)
def test_each_service_runs_a_real_command_hardened(path: Path) -> None:
    service = _unit(path)["Service"]
    program, *arguments = shlex.split(service["ExecStart"])
    assert Path(program).name == "ambassade"
    assert arguments[0] in _commands()
    try:
        cli._parser().parse_args(arguments)
    except SystemExit:
        pytest.fail(f"{path.name}: `ambassade {' '.join(arguments)}` is refused by the command")
    data_dir = _environment()["DATA_DIR"]
    assert service["User"] == "ambassade"
    assert service["EnvironmentFile"] == "/etc/ambassade/ambassade.env"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert data_dir in service["ReadWritePaths"].split()
    assert int(service["LimitNOFILE"]) >= 4096
    if service.get("Type") != "oneshot":  # the backup runs once, from its timer
        assert service["Restart"] in {"always", "on-failure"}


def test_the_target_and_the_timer_name_real_units() -> None:
    names = {unit.name for unit in UNITS}
    for wanted in _unit(DEPLOY / "systemd" / "ambassade.target")["Unit"]["Wants"].split():
        assert re.sub(r"@[^.]+\.", "@.", wanted) in names, wanted
    timer = _unit(DEPLOY / "systemd" / "ambassade-backup.timer")
    assert timer.get("Timer", "Unit", fallback="ambassade-backup.service") in names


def test_the_environment_file_lists_exactly_the_settings() -> None:
    listed, read = set(_environment()), _settings_read()
    missing, unknown = read - listed, listed - read
    assert missing == set(), "settings missing from deploy/ambassade.env"
    assert unknown == set(), "deploy/ambassade.env sets what no setting reads"


def test_the_settings_accept_the_environment_file(tmp_path: Path) -> None:
    """Every value parses, and Django's deployment checks find nothing to report."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(_environment(), DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "ambassade.cli",
            "manage",
            "check",
            "--deploy",
            "--fail-level=WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
