"""The test suite's settings: kcry's own, imported as `make run` has them (DEBUG on, so the
development key, plain static files and no HTTPS redirect are allowed); every test then
runs with DEBUG off (see the autouse fixture in tests/conftest.py)."""

import os

os.environ.setdefault("DEBUG", "1")
# Not the development key: servers the tests start with DEBUG off (the drill, the
# benchmark's tests) share it, and the site refuses the development key without DEBUG.
os.environ.setdefault("SECRET_KEY", "kcry-tests-only-" + "not-secret-" * 4)

from kcry_site.settings import *  # noqa: E402, F403
