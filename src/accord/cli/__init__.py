"""The `accord` command line: thin commands over the domain services."""
