"""Runs the API's schemathesis test with many more examples, and prints its figures.

The same test as in the suite (ambassade/core/tests/test_api_schemathesis.py: every
operation, an admin's token, the demo data, the same checks), with more examples per
operation and the coverage phase (boundary values, every kind of invalid value, methods
a path does not have). Prints operations, examples sent, failures and duration.

    .venv/bin/python scripts/schemathesis_long.py [--examples 200] [--seed 20261130]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "ambassade/core/tests/test_api_schemathesis.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=200, help="per operation and mode")
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--no-coverage", action="store_true", help="skip the coverage phase")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ambassade-schemathesis-") as folder:
        report, junit = Path(folder, "calls.json"), Path(folder, "junit.xml")
        env = os.environ | {
            "AMBASSADE_SCHEMATHESIS_EXAMPLES": str(args.examples),
            "AMBASSADE_SCHEMATHESIS_SEED": str(args.seed),
            "AMBASSADE_SCHEMATHESIS_COVERAGE": "0" if args.no_coverage else "1",
            "AMBASSADE_SCHEMATHESIS_REPORT": str(report),
        }
        command = [
            sys.executable,
            *("-m", "pytest", TEST, "-q", "-p", "no:cacheprovider", "--show-capture=no"),
            f"--junitxml={junit}",
        ]
        started = time.monotonic()
        outcome = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603
        duration = time.monotonic() - started
        suite = ElementTree.parse(junit).getroot()  # noqa: S314 (pytest's own report)
        suite = suite if suite.tag == "testsuite" else suite[0]
        calls = json.loads(report.read_text()) if report.exists() else {}
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    print(
        f"\nschemathesis {args.examples} examples per operation and mode, seed {args.seed}, "
        f"coverage phase {'off' if args.no_coverage else 'on'}:\n"
        f"  operations: {suite.get('tests')}\n"
        f"  requests sent: {sum(calls.values())}\n"
        f"  operations failing: {failed}\n"
        f"  duration: {duration:.0f} s"
    )
    return outcome.returncode


if __name__ == "__main__":
    sys.exit(main())
