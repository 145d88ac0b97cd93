"""Make sure Debian's chromium is installed for the browser tests (never a browser download).

Installs the `chromium` package with apt-get when it is missing and we are root;
otherwise says what to do. The browser tests skip themselves without it.
"""

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"


def main():
    if os.path.exists(CHROMIUM):
        return 0
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Installing Debian's chromium for the browser tests…", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env)
    if not os.path.exists(CHROMIUM):
        print("chromium is not installed: browser tests will be skipped (apt-get install chromium).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
