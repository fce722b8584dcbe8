"""python -m nn.walkthrough [--lang en|zh]: print every table."""
from .tables import main

main()
