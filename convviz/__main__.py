"""`python -m convviz` runs the command-line entry (no arguments opens the app)."""

from convviz.cli import main

raise SystemExit(main())
