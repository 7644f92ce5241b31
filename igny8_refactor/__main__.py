from igny8_refactor.cli import main

main()
