"""The fast cut gives jieba's own words: on the sample pages, on random text that mixes dictionary
words with unknown characters, Latin, digits, punctuation and spaces, and where two routes tie."""

import random
from pathlib import Path

import jieba
import pytest

from generator.analysis.cut import Cutter
from sitebuild import sample_pages

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def tokenizer():
    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba.dt


@pytest.fixture(scope="module")
def cutter(tokenizer):
    return Cutter.of_tokenizer(tokenizer)


def test_sample_pages_cut_as_jieba_cuts_them(tokenizer, cutter):
    pages = [ROOT / "seeds" / name for name in sample_pages()]
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for line in text.splitlines(keepends=True):
            assert cutter.lcut(line) == tokenizer.lcut(line), (page.name, line)
        assert cutter.lcut(text) == tokenizer.lcut(text), page.name


def random_text(rng: random.Random, words: list[str]) -> str:
    pieces = []
    for _ in range(rng.randrange(1, 120)):
        kind = rng.random()
        if kind < 0.6:
            pieces.append(rng.choice(words))
        elif kind < 0.75:  # characters jieba has never seen, or only as part of longer words
            pieces.append(chr(rng.choice((rng.randrange(0x4E00, 0x9FD6), rng.randrange(0x9FD6, 0xA000),
                                          rng.randrange(0x3400, 0x4DC0)))))
        elif kind < 0.85:
            pieces.append(rng.choice(["，", "。", "！", "、", "“", "”", ",", ".", "-", "%", "#", "&", "+", "_"]))
        elif kind < 0.93:
            pieces.append(rng.choice(["GDP", "5G", "2024", "7.8", "3.5%", "ABC", "ｘ", "１２", "Ⅲ"]))
        else:
            pieces.append(rng.choice([" ", "  ", "\n", "\r\n", "\t", "\u3000"]))
    return "".join(pieces)


def test_random_text_cuts_as_jieba_cuts_it(tokenizer, cutter):
    rng = random.Random(7)
    words = [w for w, f in tokenizer.FREQ.items() if f and len(w) <= 6]
    words = rng.sample(words, 20_000)
    for _ in range(3_000):
        text = random_text(rng, words)
        assert cutter.lcut(text) == tokenizer.lcut(text), text


@pytest.mark.parametrize("text", ["", " ", "\r\n", "。", "聊", "聊城", "茌平区", "a", "abc def", "１２３"])
def test_edge_cases_cut_as_jieba_cuts_them(tokenizer, cutter, text):
    assert cutter.lcut(text) == tokenizer.lcut(text)


def test_ties_go_to_the_longer_first_word_as_in_jieba(tmp_path):
    """甲乙|丙 and 甲|乙丙 score exactly the same; jieba's max over (score, end) takes 甲乙 first."""
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("甲 7\n丙 7\n甲乙 3\n乙丙 3\n乙 2\n丁 1\n", encoding="utf-8")
    tokenizer = jieba.Tokenizer(str(dictionary))
    tokenizer.tmp_dir = str(tmp_path)
    tokenizer.initialize()
    cutter = Cutter.of_tokenizer(tokenizer)
    for text in ("甲乙丙", "丁甲乙丙丁", "甲乙丙甲乙丙", "乙丙甲"):
        assert cutter.lcut(text) == tokenizer.lcut(text)
    assert cutter.lcut("甲乙丙") == ["甲乙", "丙"]


def test_words_added_to_jieba_count_when_the_cutter_is_made(tmp_path):
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("聊 5\n城 5\n日 5\n报 5\n", encoding="utf-8")
    tokenizer = jieba.Tokenizer(str(dictionary))
    tokenizer.tmp_dir = str(tmp_path)
    tokenizer.initialize()
    tokenizer.add_word("聊城日报", 100)
    assert Cutter.of_tokenizer(tokenizer).lcut("聊城日报") == tokenizer.lcut("聊城日报") == ["聊城日报"]


def test_dictionaries_kept_in_the_cache_folder_cut_as_jieba_cuts(tmp_path, tokenizer):
    """The dictionaries a worker loads from the build cache's folder are those made from jieba: the
    same cut, IDF table, median and stop words (as jieba.analyse has them); a file of another jieba,
    of another format or a damaged one is made again."""
    from jieba.analyse import default_tfidf

    from generator.analysis import dictionaries

    for old in dictionaries.OLD_FILES:  # left by earlier builds
        (tmp_path / old).write_bytes(b"old")
    made = dictionaries.load_words(tmp_path)  # none there yet: made from jieba, and written
    made_idf = dictionaries.load_idf(tmp_path)
    assert (tmp_path / dictionaries.WORDS_FILE).exists() and (tmp_path / dictionaries.IDF_FILE).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([dictionaries.WORDS_FILE, dictionaries.IDF_FILE])
    for old in dictionaries.OLD_FILES:  # left beside files already made: removed all the same
        (tmp_path / old).write_bytes(b"old")
    kept, kept_idf = dictionaries.load_words(tmp_path), dictionaries.load_idf(tmp_path)
    assert kept is not made and kept == made and kept_idf is not made_idf and kept_idf == made_idf
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([dictionaries.WORDS_FILE, dictionaries.IDF_FILE])
    assert kept.logp == dictionaries.log_probabilities(tokenizer)[0] and len(kept.logp) > 300_000
    text = (ROOT / "seeds" / sample_pages()[0]).read_text(encoding="utf-8")
    assert Cutter(kept.logp, kept.unknown).lcut(text) == tokenizer.lcut(text)
    prefix = next(w for w, f in tokenizer.FREQ.items() if f == 0)  # a prefix jieba keeps that is no word
    assert kept.is_word("聊城") and prefix in kept.logp and not kept.is_word(prefix) and not kept.is_word("䶵䶵")
    assert kept_idf.table == default_tfidf.idf_freq and kept_idf.median == default_tfidf.median_idf
    assert kept_idf.stop_words == frozenset(default_tfidf.stop_words)

    head = dictionaries._head()
    for name, load, expected in ((dictionaries.WORDS_FILE, dictionaries.load_words, made),
                                 (dictionaries.IDF_FILE, dictionaries.load_idf, made_idf)):
        path = tmp_path / name
        good = path.read_bytes()
        for damage in (b"", b"not marshal", good[: len(good) // 2]):
            path.write_bytes(damage)
            assert load(tmp_path) == expected and path.read_bytes() == good  # made, and written again
        values = dictionaries.marshal.loads(good)[len(head):]
        for other in ((head[0], "0.1", *head[2:]), ("0", *head[1:])):  # another jieba, another format: not taken
            path.write_bytes(dictionaries.marshal.dumps((*other, *values)))
            assert load(tmp_path) == expected and path.read_bytes() == good
