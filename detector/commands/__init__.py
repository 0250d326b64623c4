"""The commands of the ``detector`` command line, one module each."""
