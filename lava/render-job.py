#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""render-job.py - turn a job template of lava/jobs/ into a LAVA job definition for one device.

    lava/render-job.py --arch=x86_64 --method=board --device-type=x86 \\
        --kernel=URL --modules=URL --ramdisk=URL [--suites=...] > job.yaml
    lavacli jobs submit job.yaml

The template (lava/jobs/<method>-<arch>.yaml) is a plain LAVA job; this fills the artefact URLs,
the device type, the job name and tags, and the test action: the fpbench test definition
(lava/fpbench-test.yaml) inline, with its parameters set (the default: the job then needs nothing
from this repository), or from a git repository with the parameters passed by the job.
--validate checks the result against lava-common's job schema.  Bad arguments: one line, exit 2.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ARCHES = ("x86_64", "arm64")
METHODS = ("board", "qemu")


def fail(msg, code=2):
    print("render-job: " + msg, file=sys.stderr)
    sys.exit(code)


def load_yaml(path):
    import yaml
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as exc:
        fail("%s: %s" % (path, str(exc).splitlines()[0]))


def find_action(job, kind):
    for action in job.get("actions", []):
        if kind in action:
            return action[kind]
    fail("template has no %s action" % kind)


def set_url(deploy, key, url):
    """Point artefact key (kernel, ramdisk, modules, dtb) at url; 'none' drops it."""
    images = deploy.get("images", deploy)
    if key == "modules" and "images" in deploy:
        holder = images.get("ramdisk", {}).get("overlays", {})
    else:
        holder = images
    if key not in holder:
        fail("--%s: this template has no %s" % (key, key))
    if url == "none":
        if key in ("kernel", "ramdisk"):
            fail("--%s=none: a job needs a %s" % (key, key))
        del holder[key]
        if key == "modules":
            images.get("ramdisk", {}).pop("install_modules", None)
        return
    holder[key]["url"] = url


def test_params(args):
    kmod = args.kmod
    if args.arch != "x86_64":
        if kmod == "yes":
            fail("--kmod=yes: the kernel module is x86-64 only")
        kmod = "no"
    return {
        "SUITES": args.suites, "STRATEGIES": args.strategies, "MASKS": args.masks,
        "KMOD": kmod, "INSITU": args.insitu, "TIME_BUDGET": args.time_budget,
        "EXTRA_ARGS": " ".join(args.extra_args), "FPBENCH": args.fpbench,
        "FPBENCH_KO": args.fpbench_ko,
    }


def definition(args):
    params = test_params(args)
    if args.repository:
        d = {"from": "git", "repository": args.repository, "path": args.path,
             "name": "fpbench", "parameters": params}
        if args.revision:
            d["revision"] = args.revision
        return d
    testdef = load_yaml(os.path.join(HERE, "fpbench-test.yaml"))
    testdef["params"].update(params)
    return {"from": "inline", "repository": testdef, "path": "inline/fpbench-test.yaml",
            "name": "fpbench"}


def render(args):
    template = args.template or os.path.join(HERE, "jobs", "%s-%s.yaml" % (args.method, args.arch))
    job = load_yaml(template)
    if not isinstance(job, dict) or "actions" not in job:
        fail("%s: not a LAVA job template" % template)
    if args.device_type:
        job["device_type"] = args.device_type
    if args.job_name:
        job["job_name"] = args.job_name
    if args.tag:
        job["tags"] = args.tag
    deploy = find_action(job, "deploy")
    for key in ("kernel", "ramdisk", "modules", "dtb"):
        url = getattr(args, key)
        if url:
            set_url(deploy, key, url)
    job.setdefault("metadata", {})["fpbench.suites"] = args.suites or "default"
    find_action(job, "test")["definitions"] = [definition(args)]
    return job


def validate(job):
    try:
        from lava_common.schemas import validate as lava_validate
    except ImportError:
        fail("--validate: lava_common is not installed (apt-get install lava-common)", 1)
    try:
        lava_validate(job, strict=True)
    except Exception as exc:  # voluptuous.Invalid and friends: one line
        fail("job does not validate: %s" % str(exc).splitlines()[0], 1)


def main():
    p = argparse.ArgumentParser(description="Render an fpbench LAVA job definition.")
    p.add_argument("--arch", required=True, choices=ARCHES)
    p.add_argument("--method", default="board", choices=METHODS,
                   help="board: TFTP + iPXE (x86_64) or U-Boot (arm64); qemu: a qemu device")
    p.add_argument("--template", help="a job template instead of lava/jobs/METHOD-ARCH.yaml")
    p.add_argument("--device-type")
    p.add_argument("--job-name")
    p.add_argument("--tag", action="append", help="device tag (repeatable)")
    for key in ("kernel", "ramdisk", "modules", "dtb"):
        p.add_argument("--" + key, metavar="URL", help="%s URL ('none': leave out)" % key)
    p.add_argument("--suites", default="", help="fpbench --suite ('' = the default run)")
    p.add_argument("--strategies", default="", help="fpbench --strategy")
    p.add_argument("--masks", default="", help="fpbench --mask")
    p.add_argument("--kmod", default="auto", choices=("auto", "yes", "no"),
                   help="ring-0 rows through fpbench.ko (x86_64 only)")
    p.add_argument("--insitu", default="yes", choices=("yes", "no"))
    p.add_argument("--time-budget", default="", help="fpbench --time-budget per part (s)")
    p.add_argument("--extra-args", action="append", default=[],
                   help="more fpbench options for every part (repeatable)")
    p.add_argument("--fpbench", default="", help="fpbench's path on the device")
    p.add_argument("--fpbench-ko", default="", help="fpbench.ko's path on the device")
    p.add_argument("--repository", help="take the test definition from this git repository")
    p.add_argument("--revision", help="git revision of --repository")
    p.add_argument("--path", default="lava/fpbench-test.yaml",
                   help="test definition's path in --repository")
    p.add_argument("--validate", action="store_true", help="check with lava-common's schema")
    p.add_argument("-o", "--output", help="write here (atomically) instead of stdout")
    args = p.parse_args()
    if args.time_budget and not args.time_budget.replace(".", "", 1).isdigit():
        fail("--time-budget=%s: not a number of seconds" % args.time_budget)

    import yaml
    job = render(args)
    if args.validate:
        validate(job)
    text = yaml.safe_dump(job, sort_keys=False, default_flow_style=False, width=100)
    if not args.output:
        sys.stdout.write(text)
        return
    tmp = args.output + ".tmp%d" % os.getpid()
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, args.output)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        fail("%s: %s" % (args.output, exc.strerror), 1)


if __name__ == "__main__":
    main()
