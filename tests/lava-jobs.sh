#!/bin/sh
# lava-jobs.sh - render the fpbench LAVA jobs (lava/render-job.py) for both architectures, on a
# board and on a qemu device, with the test definition inline and from git, and validate each
# with lava-common's own job schema (lava_common.schemas.validate, strict); the inline test
# definition with lava-common's test-definition schema, lava-check's qemu device with its device
# schema.  A job the schema must refuse is refused.
# Exit 77 only when no python3 can import lava_common (apt-get install lava-common).
set -u

srcdir=${FPB_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fail() { echo "FAIL: $*" >&2; exit 1; }

py=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import lava_common.schemas, yaml' 2>/dev/null; then py=$p; break; fi
done
if [ -z "$py" ]; then
	echo "SKIP: no python3 with lava_common and yaml (apt-get install lava-common)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fpb-lavajobs-XXXXXX") || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT INT TERM
render="$py $srcdir/lava/render-job.py"

n=0
for arch in x86_64 arm64; do
	for method in board qemu; do
		$render --arch=$arch --method=$method --suites=kernels,strategies --masks=all,sse \
			--strategies=eager,lazy --time-budget=20 --validate -o "$tmp/$arch-$method.yaml" ||
			fail "$arch $method: the rendered job does not validate"
		$render --arch=$arch --method=$method --repository=https://example.org/fpbench.git \
			--revision=main --validate -o "$tmp/$arch-$method-git.yaml" ||
			fail "$arch $method (test definition from git): does not validate"
		n=$((n + 2))
	done
done

# What the jobs say: the artefacts per architecture, the parameters, the module on x86-64 only.
"$py" - "$tmp" "$srcdir/lava/fpbench-test.yaml" <<'PY' || fail "the rendered jobs are not what was asked"
import sys, yaml
from lava_common.schemas import validate
from lava_common.schemas.test.testdef import validate as validate_testdef
d = sys.argv[1]
validate_testdef(yaml.safe_load(open(sys.argv[2])))
for arch in ("x86_64", "arm64"):
    for method in ("board", "qemu"):
        job = yaml.safe_load(open("%s/%s-%s.yaml" % (d, arch, method)))
        test = [a["test"] for a in job["actions"] if "test" in a][0]
        td = test["definitions"][0]
        assert td["from"] == "inline", td["from"]
        params = td["repository"]["params"]
        assert params["SUITES"] == "kernels,strategies" and params["MASKS"] == "all,sse", params
        assert params["STRATEGIES"] == "eager,lazy" and params["TIME_BUDGET"] == "20", params
        assert params["KMOD"] == ("auto" if arch == "x86_64" else "no"), (arch, params["KMOD"])
        validate_testdef(td["repository"])
        deploy = [a["deploy"] for a in job["actions"] if "deploy" in a][0]
        text = yaml.safe_dump(deploy)
        assert "/%s/" % arch in text and ("/%s/" % ("arm64" if arch == "x86_64" else "x86_64")) not in text
        git = yaml.safe_load(open("%s/%s-%s-git.yaml" % (d, arch, method)))
        gd = [a["test"] for a in git["actions"] if "test" in a][0]["definitions"][0]
        assert gd["from"] == "git" and gd["path"] == "lava/fpbench-test.yaml", gd
        assert gd["parameters"]["KMOD"] == params["KMOD"], gd["parameters"]
# The schema is really checked: a job without visibility, a test without a name are refused.
job = yaml.safe_load(open("%s/x86_64-board.yaml" % d))
for breakit in (lambda j: j.pop("visibility"),
                lambda j: [a for a in j["actions"] if "test" in a][0]["test"]["definitions"][0].pop("name")):
    bad = yaml.safe_load(yaml.safe_dump(job))
    breakit(bad)
    try:
        validate(bad, strict=True)
    except Exception:
        continue
    raise AssertionError("a broken job validated")
PY

# The hand-written qemu device of make lava-check, against lava-common's device schema.
"$py" -c 'import sys, yaml; from lava_common.schemas.device import validate
validate(yaml.safe_load(open(sys.argv[1])))' "$srcdir/lava/devices/qemu-x86_64.yaml" ||
	fail "lava/devices/qemu-x86_64.yaml does not validate with lava-common's device schema"

# Bad arguments: one line, exit 2.
$render --arch=arm64 --kmod=yes >/dev/null 2>"$tmp/err"
test $? = 2 && test "$(wc -l <"$tmp/err")" = 1 && grep -q 'x86-64 only' "$tmp/err" ||
	fail "--arch=arm64 --kmod=yes: expected one line and exit 2, got: $(cat "$tmp/err")"
$render --arch=x86_64 --kernel=none >/dev/null 2>"$tmp/err"
test $? = 2 && test "$(wc -l <"$tmp/err")" = 1 ||
	fail "--kernel=none: expected one line and exit 2, got: $(cat "$tmp/err")"
$render --arch=x86_64 --time-budget=soon >/dev/null 2>"$tmp/err"
test $? = 2 || fail "--time-budget=soon: expected exit 2"
ver=$("$py" -c 'import lava_common.version as v; print(v.__version__)' 2>/dev/null)
echo "PASS: $n rendered jobs validate with lava-common $ver"
