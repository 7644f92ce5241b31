"""The `igny8-refactor` console script: an unchanged `audit` is replayed before click is imported."""
from igny8_refactor import replay


def _cli() -> None:
    from igny8_refactor.cli import main

    main()


def main() -> None:
    replay.main(_cli)
