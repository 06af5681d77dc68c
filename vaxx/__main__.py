"""``python -m vaxx`` is the ``vaxx`` command."""

from vaxx.cli import main

main()
