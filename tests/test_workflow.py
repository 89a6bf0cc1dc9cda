"""The GitHub Pages workflow, validated offline: the workflow schema and zizmor's security audit."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from sitebuild import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def tool(name):
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    assert Path(found).exists(), f"{name} is not installed (pip install -e '.[test]')"
    return found


def test_workflow_matches_the_github_workflow_schema():
    result = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_of_high_severity():
    result = subprocess.run([tool("zizmor"), "--offline", "--format", "json", str(WORKFLOW)],
                            capture_output=True, text=True)
    findings = json.loads(result.stdout)
    high = [(f["ident"], f["desc"]) for f in findings if f["determinations"]["severity"] == "High"]
    assert high == []


def test_workflow_builds_strictly_checks_and_deploys_on_new_issues():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert "workflow_dispatch" in triggers and triggers["push"]["branches"] == ["main"]
    assert {"seeds/**", "content/**", "themes/**", "site.yaml", "generator/**"} <= set(triggers["push"]["paths"])
    assert flow["concurrency"]["group"] == "pages"
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    uses = [step.get("uses", "").split("@")[0] for step in build["steps"]]
    assert "python -m pytest" in runs
    assert 'news-archive build --strict --base-url "$BASE_URL/"' in runs
    assert 'news-archive check --base-url "$BASE_URL/"' in runs
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    cache = build["steps"][uses.index("actions/cache")]["with"]
    assert set(cache["path"].split()) == {".cache", "_site"}  # with the previous site, CI builds incrementally
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
