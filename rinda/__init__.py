"""The `rinda` command line: the composition root that names every part."""
