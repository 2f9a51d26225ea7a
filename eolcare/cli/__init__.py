"""The command line: the same operations as the desktop window, without a screen."""
