"""What browser tests share: where Debian's chromium is, where screenshots go,
and the mark that skips them where the browser is missing (never in CI)."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
# CI sets WAISHI_REQUIRE_BROWSER=1 so that a missing browser fails instead of skipping.
needs_browser = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not os.environ.get("WAISHI_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed",
)
