"""The benchmark's synthetic corpus: deterministic, bursty, and with follow-up stories a new issue continues."""

import datetime as dt
import sys

from sitebuild import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import FOLLOW_UP_DATES, Writer, add_issue, generate, recent_articles  # noqa: E402

ARTICLES = 300
MORE_DATES = 1200  # articles for more than FOLLOW_UP_DATES dates (two issues of 50 a date)


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.md"))}


def body(path):
    return path.read_text(encoding="utf-8").split("---", 2)[2]


def test_the_same_arguments_give_the_same_files(tmp_path):
    generate(tmp_path / "a", ARTICLES)
    generate(tmp_path / "b", ARTICLES)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert len(files(tmp_path / "a")) == ARTICLES


def test_a_new_issue_follows_up_stories_of_the_archive_s_last_dates(tmp_path):
    content = tmp_path / "content"
    written = generate(content, MORE_DATES)
    last = max(dt.date(*map(int, p.relative_to(content).parts[:3])) for p in written)
    recent = recent_articles(content, last + dt.timedelta(days=1))
    assert len(recent) == FOLLOW_UP_DATES and recent[-1][0] == last
    assert [day for day, _ in recent] == sorted(day for day, _ in recent)
    new = add_issue(content, last, seed=7, size=MORE_DATES)
    writer = Writer(1, MORE_DATES)
    earlier = {aid: writer.story(aid)[2] for _, ids in recent for aid in ids}
    follow_ups = [p for p in new if any(all(w in body(p) for w in own) for own in earlier.values())]
    assert 0 < len(follow_ups) < len(new) // 2  # about a quarter of them


def test_articles_are_as_long_as_asked(tmp_path):
    """--chars sets the mean length of the text (the samples' articles are ~590 characters)."""
    for chars in (600, 1500):
        written = generate(tmp_path / str(chars), ARTICLES, chars=chars)
        mean = sum(len("".join(body(p).split())) for p in written) / len(written)
        assert chars <= mean <= chars * 1.2, (chars, mean)
