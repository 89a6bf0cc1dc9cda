"""Ingest of every sample page matches the hand-checked expectation, and survives other layouts."""

import re

import pytest
import yaml

from dump_expected import FIELDS, ingest_samples, sentences
from generator.ingest.read import decode_raw
from sitebuild import EXPECTED_SAMPLES, ROOT

SEEDS = ROOT / "seeds"
EXPECTED = yaml.safe_load(EXPECTED_SAMPLES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ingested():
    return ingest_samples(SEEDS, names=sorted(EXPECTED))


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_sample_page_matches_the_editors_expectation(page, ingested):
    got = ingested[page]
    want = EXPECTED[page]
    assert [a.title for a in got] == [w["title"] for w in want]
    for article, w in zip(got, want):
        for key in FIELDS:
            assert getattr(article, key) == w.get(key, [] if key in ("authors", "correspondents", "photographers") else ""), (article.title, key)
        s = sentences(article.body)
        assert (s[0], s[-1]) == (w["first"], w["last"]), article.title


def test_ids_are_stable_and_unique(ingested):
    again = ingest_samples(SEEDS, names=sorted(EXPECTED))
    ids = [a.id for arts in ingested.values() for a in arts]
    assert ids == [a.id for arts in again.values() for a in arts]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+-\d{8}-[a-z0-9]+-\d{2}", i) for i in ids)


def test_no_byline_or_dateline_is_left_in_the_text(ingested):
    for arts in ingested.values():
        for a in arts:
            assert not re.search(r"本报\S{0,6}讯|□|■|本\s*报\s*记\s*者", a.body), a.title


# -- the same pages laid out differently ----------------------------------

def _long_lines(text, transform):
    out = []
    for line in text.split("\n"):
        out.append(transform(line) if len(line.strip()) > 40 and not line.lstrip().startswith("#") else line)
    return "\n".join(out)


def narrow_columns(text):
    """Hard-wrap every body paragraph at 15 characters, as a narrow newspaper column."""
    return _long_lines(text, lambda line: "\n".join(line.strip()[i:i + 15] for i in range(0, len(line.strip()), 15)))


def indented_paragraphs(text):
    """Paragraphs marked by indentation, with no blank line between two body paragraphs."""
    text = _long_lines(text, lambda line: "　　" + line.strip())
    return re.sub(r"(?<!\n)\n\n(?=　　)", "\n", text)  # paragraph breaks; wide region gaps stay


def half_width(text):
    table = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?", "“": '"', "”": '"'})
    return text.translate(table)


def no_heading_marks(text):
    return re.sub(r"^#{1,6}\s*", "", text, flags=re.M)


def gb18030_crlf(text):
    return decode_raw(text.replace("\n", "\r\n").encode("gb18030"), "variant")


VARIANTS = {"narrow": narrow_columns, "indented": indented_paragraphs, "half-width": half_width,
            "gb18030-crlf": gb18030_crlf, "no-heading-marks": no_heading_marks}


def _key(a):
    s = sentences(a.body)
    return (a.kind, s[0], s[-1])


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_other_layouts_give_the_same_articles(variant, ingested):
    transform = VARIANTS[variant]
    changed = ingest_samples(SEEDS, names=sorted(EXPECTED), text_of=lambda p: transform(p.read_text(encoding="utf-8")))
    for page, arts in ingested.items():
        assert [_key(a) for a in changed[page]] == [_key(a) for a in arts], page
        for a, b in zip(changed[page], arts):
            headline = " ".join([b.kicker, b.title, b.subtitle])
            assert a.title in headline or a.title.replace(" ", "") in headline.replace(" ", ""), (page, a.title)
            assert (a.authors, a.correspondents, a.photographers, a.county) == \
                   (b.authors, b.correspondents, b.photographers, b.county), (page, a.title)
