"""The `ambassade` command: run everything, or one part, or a Django command.

ambassade run         web server + task worker + periodic scheduler, in the foreground
ambassade web         the web server (granian: short links, then Django) alone
ambassade redirect    the short-link server (uvicorn) on REDIRECT_PORT
ambassade worker      a task worker alone
ambassade scheduler   the periodic scheduler alone
ambassade manage ...  any Django management command
ambassade setup ...   create an organisation and its first admin (migrates first)
ambassade operator list|create|suspend|resume ...   the instance operator's commands
ambassade demo-data --people N --days D --seed S
ambassade backup [--output FILE] (--passphrase-file F | --keys-apart DIR)
ambassade restore FILE (--passphrase-file F | --keys-from DIR)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ambassade.settings")
    import django

    django.setup()


def _prepare_web() -> None:
    from django.core.management import call_command

    # Static files are served by the app itself (whitenoise) from STATIC_ROOT, with
    # hashed names from a manifest: collecting them here means a web process can never
    # start without them. It only copies what changed, so a restart stays fast.
    call_command("collectstatic", interactive=False, verbosity=0)
    from ambassade.core import first_run

    # A production instance with no organisation yet prints the first-run form's code.
    first_run.announce()


def _serve(port: int, workers: int) -> int:
    """ambassade/asgi.py under granian: short links answered before Django, the rest by it.

    One event loop per worker process, uvloop's (Django's sync views run in threads of
    their own, see docs/decisions/0043); no access log (a line per click would cost more
    than the click). On SIGTERM a worker finishes what it is answering, within 20 s."""
    from django.conf import settings
    from django.db import connections
    from granian.constants import Interfaces, Loops
    from granian.log import LogLevels
    from granian.server import Server

    # The workers are forked from this process: none may inherit its database connection,
    # nor the connection pool (and its connections) that PostgreSQL uses.
    connections.close_all()
    for connection in connections.all(initialized_only=True):
        if hasattr(connection, "close_pool"):
            connection.close_pool()
    Server(
        "ambassade.asgi:application",
        address=settings.HOST,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        loop=Loops.auto,  # uvloop, a dependency, where it exists; asyncio's otherwise
        log_level=LogLevels(settings.LOG_LEVEL.lower()),
        log_access=False,
        workers_kill_timeout=20,
        respawn_failed_workers=True,
    ).serve()
    return 0


def _web(_: argparse.Namespace) -> int:
    from django.conf import settings

    _prepare_web()
    return _serve(settings.PORT, settings.WEB_WORKERS)


def _redirect(_: argparse.Namespace) -> int:
    """The short-link server on REDIRECT_PORT, for a reverse proxy that sends it the short
    links alone: uvicorn with ambassade/short_link_server.py's protocol, which answers warm
    links itself (decision 0048), and ambassade/asgi.py for the rest (its pages still work).

    Its workers are started afresh (uvicorn spawns them), and restarted if one dies; no
    access log; the proxy's headers are read by asgi.py as under `ambassade web`, not
    applied by uvicorn. On SIGTERM a worker finishes what it is answering, within 20 s."""
    import uvicorn
    from django.conf import settings

    uvicorn.run(
        "ambassade.asgi:application",
        host=settings.HOST,
        port=settings.REDIRECT_PORT,
        workers=settings.REDIRECT_WORKERS,
        loop="auto",  # uvloop, a dependency
        http="ambassade.short_link_server:ShortLinkProtocol",
        lifespan="on",
        log_config=None,  # Django's logging, configured when each worker loads the app
        log_level=settings.LOG_LEVEL.lower(),
        access_log=False,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=20,
    )
    return 0


def _worker(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command

    if settings.TASK_BACKEND == "redis":
        # django-tasks-rq's Job class is what turns an RQ job back into a Django task.
        options: dict[str, Any] = {"job_class": "django_tasks_rq.backend.Job"}
        if args.burst:
            options.update(burst=True, worker_class="rq.worker.SimpleWorker")
        else:
            options.update(with_scheduler=True)
        call_command("rqworker", "default", **options)
    else:
        call_command(
            "db_worker",
            queue_name="*",
            reload=False,
            interval=1,
            batch=args.burst,
            startup_delay=not args.burst,
        )
    return 0


def _scheduler(_: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("run_scheduler")
    return 0


def _demo_data(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command(
        "demo_data", people=args.people, days=args.days, seed=args.seed, if_empty=args.if_empty
    )
    return 0


def _say(line: str) -> None:
    print(line, flush=True)


def _backup(args: argparse.Namespace) -> int:
    from ambassade.core.backup import Instance, backup
    from ambassade.core.backup_keys import BackupError, read_passphrase

    try:
        passphrase = read_passphrase(args.passphrase_file) if args.passphrase_file else None
        backup(
            Instance.from_settings(),
            args.output,
            _say,
            passphrase=passphrase,
            keys_apart=args.keys_apart,
        )
    except BackupError as error:
        print(f"ambassade backup: {error}", file=sys.stderr)
        return 1
    return 0


def _restore(args: argparse.Namespace) -> int:
    import ambassade
    from ambassade.core.backup import Instance
    from ambassade.core.backup_keys import BackupError, read_passphrase
    from ambassade.core.restore import restore

    try:
        passphrase = read_passphrase(args.passphrase_file) if args.passphrase_file else None
        done = restore(
            Instance.from_settings(),
            args.archive,
            _say,
            passphrase=passphrase,
            keys_from=args.keys_from,
        )
    except BackupError as error:
        print(f"ambassade restore: {error}", file=sys.stderr)
        return 1
    for warning in done.warnings:
        print(f"ambassade restore: warning: {warning}", file=sys.stderr)
    if done.backed_up_version != ambassade.__version__:
        print(
            f"The backup was made by Ambassade {done.backed_up_version}, this is "
            f"{ambassade.__version__}: run `ambassade manage migrate` before starting."
        )
    return 0


def _run(args: argparse.Namespace) -> int:
    """Prepares the database and static files, then supervises the three processes."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if args.demo:
        call_command("demo_data", if_empty=True, people=args.people, days=args.days, seed=1)
    children = {
        name: subprocess.Popen([sys.executable, "-m", "ambassade.cli", name])  # noqa: S603
        for name in ("web", "worker", "scheduler")
    }
    stopping = False

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"\nAmbassade is running on {settings.BASE_URL.rstrip('/')}/ (Ctrl-C stops everything)")
    if args.demo:
        from ambassade.core.demo import DEMO_PASSWORD
        from ambassade.people.demo import DEMO_LOGINS

        print(f"Demo log-ins (password: {DEMO_PASSWORD}):")
        for email, role in DEMO_LOGINS:
            print(f"  {email:<34} {role}")
    exit_code = 0
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                print(
                    f"ambassade: the {name} process stopped (exit {child.returncode}); stopping all"
                )
                stopping, exit_code = True, 1
                break
        time.sleep(0.5)
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    print("Ambassade stopped.")
    return exit_code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ambassade", description="Ambassade employee advocacy platform"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="web server, worker and scheduler together")
    run.add_argument(
        "--demo", action="store_true", help="load the demo organisation into an empty database"
    )
    run.add_argument("--people", type=int, default=300, help="demo size (with --demo)")
    run.add_argument("--days", type=int, default=180, help="days of demo history (with --demo)")
    run.set_defaults(handler=_run)
    commands.add_parser("web", help="the web server").set_defaults(handler=_web)
    commands.add_parser(
        "redirect", help="the web server on REDIRECT_PORT, for the short links"
    ).set_defaults(handler=_redirect)
    worker = commands.add_parser("worker", help="a background task worker")
    worker.add_argument("--burst", action="store_true", help="run the waiting tasks, then exit")
    worker.set_defaults(handler=_worker)
    commands.add_parser("scheduler", help="the periodic job scheduler").set_defaults(
        handler=_scheduler
    )
    demo = commands.add_parser("demo-data", help="build the demo organisation")
    demo.add_argument("--people", type=int, default=300)
    demo.add_argument("--days", type=int, default=180)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument(
        "--if-empty", action="store_true", help="do nothing if any organisation exists"
    )
    demo.set_defaults(handler=_demo_data)
    _backup_parsers(commands)
    commands.add_parser("manage", help="a Django management command", add_help=False)
    commands.add_parser("setup", help="create an organisation and its first admin", add_help=False)
    commands.add_parser(
        "operator", help="list, create, suspend, resume organisations", add_help=False
    )
    return parser


def _backup_parsers(commands: Any) -> None:
    backup = commands.add_parser("backup", help="write a backup archive (docs/production.md)")
    backup.add_argument(
        "--output",
        type=Path,
        default=Path(),
        help="the archive to write, or a folder for ambassade-backup-<time>.tar (default: here)",
    )
    keys = backup.add_mutually_exclusive_group(required=True)
    keys.add_argument(
        "--passphrase-file", type=Path, help="seal the key files inside the archive with it"
    )
    keys.add_argument(
        "--keys-apart", type=Path, metavar="DIR", help="write the key files into this folder"
    )
    backup.set_defaults(handler=_backup)
    restore = commands.add_parser("restore", help="restore a backup into an empty instance")
    restore.add_argument("archive", type=Path, metavar="FILE")
    keys = restore.add_mutually_exclusive_group(required=True)
    keys.add_argument(
        "--passphrase-file", type=Path, help="the passphrase the keys were sealed with"
    )
    keys.add_argument(
        "--keys-from", type=Path, metavar="DIR", help="the folder (or file) of the kept-apart keys"
    )
    restore.set_defaults(handler=_restore)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from ambassade.core.config import ConfigError

    try:
        _setup()
    except ConfigError as error:
        print(f"ambassade: configuration error: {error}", file=sys.stderr)
        return 2
    if argv and argv[0] == "manage":
        from django.core.management import execute_from_command_line

        execute_from_command_line(["ambassade manage", *argv[1:]])
        return 0
    if argv and argv[0] in ("setup", "operator"):
        from django.core.management import call_command, execute_from_command_line

        if argv[0] == "setup" and not {"-h", "--help"} & set(argv):
            # On a fresh clone the database is empty: setup is the first command run.
            call_command("migrate", interactive=False, verbosity=0)
        execute_from_command_line([f"ambassade {argv[0]}", *argv])
        return 0
    args = _parser().parse_args(argv)
    result: int = args.handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
