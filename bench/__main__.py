"""python -m bench [-k TEXT] [--output FILE]: run the benchmarks on a throwaway database.

Without DATABASE_URL the database is a temporary SQLite file; with it (PostgreSQL), a separate
`bench_…` database is created next to the configured one and dropped afterwards. Either way the
developer's own database is never touched.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path


def _configure(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
    # Production-like: no query log kept in memory, which would distort the memory figures.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-any-deployment")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench-base.sqlite3'}")
    os.environ["MEDIA_ROOT"] = str(tmp / "media")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("-k", dest="match", default="", help="only benchmarks whose name has TEXT")
    parser.add_argument("--output", type=Path, default=None, help="JSON file to write")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="smartcity-bench-"))
    _configure(tmp)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from bench.runner import RESULTS, discover, run_all

    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(tmp / "bench.sqlite3")
    else:
        test_settings["NAME"] = f"bench_{connection.settings_dict['NAME']}_{os.getpid()}"
    benchmarks = [b for b in discover() if args.match.lower() in b.name.lower()]
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    try:
        run_all(
            benchmarks,
            output=args.output or RESULTS,
            database=connection.vendor,
            django=django.get_version(),
        )
    finally:
        teardown_databases(old_config, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
