"""``generate``, ``build`` and ``serve``: the generated files, then the engine's site.

``generate`` writes what every engine reads (pages, navigation, settings, PDFs, question banks);
``build`` and ``serve`` then run the engine on the project's ``mkdocs.yml``, as its own command
line (``python -m mkdocs build --strict``) in a child process: the engine's options, messages,
strict mode and exit status stay exactly its own, and any engine that reads ``mkdocs.yml``
(MkDocs, ProperDocs, Zensical) is run the same way.

**Generated once.** MkDocs and ProperDocs run the Traitbook plugin, which generates before every
build. Generating here as well would do the work twice; instead the first half is stamped
(infra/stamp.py) and the plugin inside the engine finds the stamp fresh and does nothing. A
build with nothing to do skips both: this module imports only what that check needs, and the
pipeline only when there is work.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path

from ..infra import stamp
from ..infra.layout import Project
from .output import EXIT_INTERNAL, EXIT_OK, Output, UsageError

#: Engines that read mkdocs.yml, each run as ``python -m <engine>``.
ENGINES = ("mkdocs", "properdocs", "zensical")
#: The end-of-life notices MkDocs 1.6's ecosystem prints on every build. Traitbook pins MkDocs
#: below 2 on purpose, so for its users they are noise: set unless the caller set them.
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def engine_command(engine: str, command: str, args: argparse.Namespace, config_file: str) -> list[str]:
    """The engine's own command line for ``build`` or ``serve``."""
    line = [sys.executable, "-m", engine, command, "--config-file", config_file]
    if command == "build":
        line.append("--strict")
        if args.site_dir is not None:
            if engine == "zensical":
                raise UsageError("--site-dir: Zensical always builds into the site_dir of mkdocs.yml")
            line += ["--site-dir", str(args.site_dir)]
    elif args.dev_addr is not None:
        line += ["--dev-addr", args.dev_addr]
    return line


def engine_environment(environ: Mapping[str, str]) -> dict[str, str]:
    return {**QUIET, **environ}


def generate_files(project: Project, output: Output, jobs: int | None, *, handbook: bool) -> int:
    """The generated files, unless the last build's still stand."""
    if stamp.is_fresh(project, os.environ, handbook=handbook):
        output.line("generate: nothing changed since the last build; the generated files are up to date")
        return EXIT_OK
    if handbook:
        # Its import of WeasyPrint (about a second) then overlaps with loading the pipeline.
        from ..handbook.workers import start_fork_server

        start_fork_server()
    from .commands import generate

    return generate(project, output, jobs, handbook)


def run_site_command(args: argparse.Namespace, project: Project, output: Output) -> int:
    status = generate_files(project, output, args.jobs, handbook=not args.no_handbook)
    if status != EXIT_OK or args.command == "generate":
        return status
    config = project.root / "mkdocs.yml"
    if not config.is_file():
        raise UsageError(f"no mkdocs.yml in {project.root}: run {args.prog} {args.command} in a project `init` made")
    line = engine_command(args.engine, args.command, args, str(config))
    status = run_engine(line, project.root, engine_environment(os.environ))
    if status != 0:
        output.problem(f"error: {args.engine} {args.command} failed (exit status {status}); see above")
        return EXIT_INTERNAL
    return EXIT_OK


def run_engine(line: list[str], cwd: Path, env: Mapping[str, str]) -> int:
    """The engine's exit status. Ending this process ends the engine too: Ctrl+C reaches both
    (one process group); a terminate signal sent to this process alone (a service manager, a
    test) is passed on, so a preview server is never left running on its own."""
    process = subprocess.Popen(line, cwd=cwd, env=dict(env))
    previous = signal.getsignal(signal.SIGTERM)

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    try:
        return process.wait()
    except KeyboardInterrupt:  # serve ends with Ctrl+C; the engine received it as well
        return 0 if process.wait() in (0, -signal.SIGINT, 130) else process.returncode
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)
