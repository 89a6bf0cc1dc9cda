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
    assert 'news-archive build --strict --base-url "$BASE_URL/" --repository "$REPOSITORY"' in runs
    build_step = next(step for step in build["steps"] if "news-archive build" in step.get("run", ""))
    assert build_step["env"]["REPOSITORY"] == "${{ github.repository }}"  # (through env: no template in run)
    assert 'news-archive check --base-url "$BASE_URL/"' in runs
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    cache = build["steps"][uses.index("actions/cache")]["with"]
    assert set(cache["path"].split()) == {".cache", "_site"}  # with the previous site, CI builds incrementally
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    # the tests are skipped only when a run with the same inputs passed them
    steps = {step.get("id"): step for step in build["steps"] if step.get("id")}
    assert steps["test-inputs"]["run"] == 'echo "digest=$(python scripts/tests_digest.py)" >> "$GITHUB_OUTPUT"'
    assert steps["tests-passed"]["with"] == {"path": ".tests-passed",
                                             "key": "tests-passed-${{ steps.test-inputs.outputs.digest }}"}
    test = next(step for step in build["steps"] if step.get("name") == "Test")
    assert test["if"] == "steps.tests-passed.outputs.cache-hit != 'true'"
    assert test["run"] == "python -m pytest && touch .tests-passed"
    order = [step.get("name") or step.get("uses") for step in build["steps"]]
    assert order.index("Install") < order.index("What the tests depend on") < order.index("Test") < order.index("Build")
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


def load_tests_digest():
    import importlib.util
    spec = importlib.util.spec_from_file_location("tests_digest", ROOT / "scripts" / "tests_digest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.tests_digest


def test_the_tests_digest_ignores_published_issues_and_follows_code_and_samples(tmp_path):
    """The workflow skips the tests when a run with the same digest passed them: a new issue must
    keep the digest, a change to the code, the tests or a sample must change it."""
    tests_digest = load_tests_digest()
    repo = tmp_path / "repo"
    for folder in ("seeds", "content", "tests/expected"):
        shutil.copytree(ROOT / folder, repo / folder)
    (repo / "generator").mkdir()
    (repo / "generator" / "build.py").write_text("STAGES = 1\n", encoding="utf-8")

    def commit(message):
        for args in (["add", "-A"], ["commit", "-qm", message]):
            subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo,
                           check=True, capture_output=True)

    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    commit("the project")
    first = tests_digest(repo)
    assert first == tests_digest(repo)

    shutil.copy(repo / "seeds" / "000_34433e4ac3410385.txt", repo / "seeds" / "900_new_issue.txt")
    with (repo / "seeds" / "pages.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write("900_new_issue.txt: {paper: dzrb, date: 2025-01-02}\n")
    (repo / "content" / "2025" / "01" / "02").mkdir(parents=True)
    (repo / "content" / "2025" / "01" / "02" / "dzrb-20250102-p01-01.md").write_text("---\n---\n", encoding="utf-8")
    commit("a new issue")
    assert tests_digest(repo) == first

    changes = [
        lambda: (repo / "generator" / "build.py").write_text("STAGES = 2\n", encoding="utf-8"),
        lambda: (repo / "tests" / "test_new.py").write_text("def test_x(): pass\n", encoding="utf-8"),
        lambda: (repo / "seeds" / "000_34433e4ac3410385.txt").write_text("改过的样张\n", encoding="utf-8"),
        lambda: next((repo / "content").glob("20*/*/*/lcrb-*.md")).write_text("---\n---\n", encoding="utf-8"),
        lambda: (repo / "seeds" / "pages.yaml").write_text(
            (repo / "seeds" / "pages.yaml").read_text(encoding="utf-8").replace("date: 2024-", "date: 2023-", 1),
            encoding="utf-8"),
    ]
    seen = {first}
    for change in changes:
        change()
        commit("a change")
        seen.add(tests_digest(repo))
    assert len(seen) == 1 + len(changes)  # each changed the digest
