"""`python -m gbdt2nn ...` is `gbdt2nn ...`. Written by hand, not exported from a notebook (see the command-line chapter)."""
from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
