"""python -m micrograd: see micrograd/cli.py."""
from .cli import main

raise SystemExit(main())
