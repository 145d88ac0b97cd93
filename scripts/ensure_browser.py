"""Make sure Debian's chromium is installed for the browser tests (never a browser download).

Installs the `chromium` package, and a Chinese font so that screenshots show Chinese text
(a system font, not a web font), with apt-get when missing and we are root; otherwise says
what to do. The browser tests skip themselves without chromium unless CI requires them.
"""

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"
CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def main():
    missing = [pkg for pkg, path in (("chromium", CHROMIUM), ("fonts-wqy-microhei", CJK_FONT)) if not os.path.exists(path)]
    if not missing:
        return 0
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print(f"Installing Debian's {' and '.join(missing)} for the browser tests…", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=False, env=env).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
            subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=False, env=env)
    if not os.path.exists(CHROMIUM):
        print("chromium is not installed: browser tests will be skipped (apt-get install chromium).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
