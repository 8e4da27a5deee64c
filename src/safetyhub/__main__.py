"""Run the CLI with `python -m safetyhub`."""

from safetyhub.cli import main

main()
