"""``python -m tandem``: the ``tandem`` script, for environments without its console entry point.

Why: in a checkout run with ``PYTHONPATH=src`` (or a venv whose scripts directory is not on
``PATH``) the ``tandem`` command does not exist, and people reach for ``python -m tandem``.
"""

from tandem.cli import main

main()
