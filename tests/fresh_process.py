"""Run Python in a fresh process with a chosen environment: the settings module reads the
environment once, at import, so settings tests need a process of their own."""

import os
import subprocess
import sys

from django.conf import settings


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess:
    """``python *args`` from the project's root, with the caller's environment minus every
    DJANGO_* and DATABASE_* variable, plus ``env``."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    base["DJANGO_SETTINGS_MODULE"] = "kttt_portal.settings"
    return subprocess.run(
        [sys.executable, *args],
        env={**base, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
