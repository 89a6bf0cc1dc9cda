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


def test_a_new_issue_in_seeds_and_content_does_not_change_what_the_tests_use(tmp_path, monkeypatch):
    """Publishing an issue adds its raw pages to seeds/ and lines to seeds/pages.yaml, and its articles
    to content/ when they are committed; the workflow runs the tests before building, so the tests
    must use the samples alone (or every publish fails, and a big archive makes them slow)."""
    import sitebuild
    fake_root = tmp_path / "repo"
    shutil.copytree(ROOT / "seeds", fake_root / "seeds")
    shutil.copytree(ROOT / "content", fake_root / "content")
    shutil.copy(ROOT / "seeds" / "000_34433e4ac3410385.txt", fake_root / "seeds" / "900_new_issue.txt")
    with (fake_root / "seeds" / "pages.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write("900_new_issue.txt: {paper: dzrb, date: 2025-01-02}\n")
    sample = next((fake_root / "content").rglob("*.md"))
    (fake_root / "content" / "2025" / "01" / "02").mkdir(parents=True)
    shutil.copy(sample, fake_root / "content" / "2025" / "01" / "02" / "dzrb-20250102-p01-01.md")
    monkeypatch.setattr(sitebuild, "ROOT", fake_root)

    sitebuild.copy_samples(tmp_path / "copy")
    samples = sitebuild.sample_pages()
    assert len(samples) == 5
    assert sorted(p.name for p in (tmp_path / "copy").iterdir()) == sorted(samples + ["pages.yaml"])
    copied = yaml.safe_load((tmp_path / "copy" / "pages.yaml").read_text(encoding="utf-8"))
    real = yaml.safe_load((ROOT / "seeds" / "pages.yaml").read_text(encoding="utf-8"))
    assert copied == {name: real[name] for name in samples}
    labelled = yaml.safe_load(sitebuild.EXPECTED_LABELS.read_text(encoding="utf-8"))
    assert sorted(p.stem for p in sitebuild.sample_article_files()) == sorted(labelled)
