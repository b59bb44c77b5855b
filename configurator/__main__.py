"""`python -m configurator` runs the same command line as the `configurator` script."""

from configurator.cli import main

if __name__ == "__main__":
    main()
