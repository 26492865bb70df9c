#!/usr/bin/env python
"""Django's manage.py, for developers; `ambassade manage` does the same once installed."""

import sys

from ambassade.cli import main

if __name__ == "__main__":
    sys.exit(main(["manage", *sys.argv[1:]]))
