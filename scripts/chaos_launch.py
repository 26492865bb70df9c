"""Runs one ``ambassade`` command (worker, scheduler) with X's API on the local fake.

The X module reads its address from ``config["api_base"]``, which only the tests set;
nothing in the settings or the database points it elsewhere than https://api.x.com.
For chaos_publishing.py this launcher sets the module's default to ``CHAOS_X_API_BASE``
in the child process, then hands over to the real command line, unchanged otherwise.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ambassade.settings")
    import django

    django.setup()
    from ambassade.sharing.networks import x

    x.API_BASE = os.environ["CHAOS_X_API_BASE"]
    from ambassade.cli import main

    sys.exit(main(sys.argv[1:]))
