#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""lava-fake-log.py CONSOLE LOG [--kmsg-at=N] - the job log LAVA would keep for a device that
printed CONSOLE while running the fpbench test definition, for tests of `fpbench lava-collect`.

Each console line goes through what lava-dispatcher 2023.01 does to it (ShellLogger.write drops
'\\r' and turns '"' into '\\"'; lava_common.log.dump makes the YAML entry, `- ` in front as in the
server's output.yaml that `lavacli jobs logs --raw` prints); each <LAVA_SIGNAL_TESTCASE ...>
line also becomes a `results` entry as TestShellAction.signal_test_case makes it.
--kmsg-at=N puts a kernel message in place of console line N (a console the test did not quiet).
Exit 77 when lava_common cannot be imported.
"""
import re
import sys

try:
    from lava_common.log import dump
except ImportError:
    print("SKIP: python3 cannot import lava_common (apt-get install lava-common)")
    sys.exit(77)

SIGNAL = re.compile(r"<LAVA_SIGNAL_TESTCASE ([^>]*)>")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    kmsg = [int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--kmsg-at=")]
    console, out = args
    clock = [0]

    def entry(lvl, msg):
        clock[0] += 1
        return "- " + dump({"dt": "2026-12-02T05:00:%02d.%06d" % (clock[0] // 1000000 % 60,
                                                                      clock[0] % 1000000),
                            "lvl": lvl, "msg": msg}) + "\n"

    with open(console, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    with open(out, "w", encoding="utf-8") as log:
        log.write(entry("info", "lava-dispatcher, installed at version: 2023.01"))
        log.write(entry("debug", "start: 3.1 lava-test-shell (timeout 00:20:00) [common]"))
        for n, line in enumerate(lines, 1):
            if n in kmsg:
                line = "[   42.123456] random: crng init done"
            line = line.replace("\r", "").replace('"', '\\"').replace("\x1b", "")
            log.write(entry("target", line))
            m = SIGNAL.search(line)
            if not m:
                continue
            params = dict(kv.split("=", 1) for kv in m.group(1).split() if "=" in kv)
            res = {"definition": "0_fpbench", "case": params.get("TEST_CASE_ID", ""),
                   "result": params.get("RESULT", "")}
            if "MEASUREMENT" in params:
                res["measurement"] = float(params["MEASUREMENT"])
                if "UNITS" in params:
                    res["units"] = params["UNITS"]
            log.write(entry("results", res))
        log.write(entry("info", "Job finished correctly"))


if __name__ == "__main__":
    main()
