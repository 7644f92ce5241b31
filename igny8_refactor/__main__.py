"""`python -m igny8_refactor`: the command line."""

from igny8_refactor.cli import main

if __name__ == "__main__":  # not when a spawned worker process re-imports the main module
    main()
