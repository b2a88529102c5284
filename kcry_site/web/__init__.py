"""The bottom layer: web helpers every app may import (answers, pagination, form helpers).

It imports no kcry app, so catalog, votes and comments can all depend on it.
"""
