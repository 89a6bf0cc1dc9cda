"""The sample site, byte for byte. Regenerate after an intended change with: python tests/helpers/golden.py"""


from golden import GOLDEN, build_golden
from sitebuild import tree


def test_sample_site_matches_the_golden_site(tmp_path):
    site = build_golden(tmp_path)
    got, want = tree(site), tree(GOLDEN)
    assert sorted(got) == sorted(want)
    changed = [name for name in want if got[name] != want[name]]
    assert not changed, f"{len(changed)} files differ, e.g. {changed[:5]}; run python tests/helpers/golden.py if intended"
