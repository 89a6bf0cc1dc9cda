"""The sharded search index: segments, terms, and incremental builds that equal full ones."""

import datetime as dt
import json
import re
import shutil

import pytest
from hypothesis import given, settings, strategies as st
from lunr.tokenizer import Tokenizer

from generator.search import codec, postings, segments, shards, terms
from generator.content.frontmatter import set_front_matter
from generator.search.index import make_builder
from sitebuild import ROOT, build_project, tree
from sitebuild import add_newer_issue, sharded_project


@given(st.integers(min_value=0, max_value=300_000), st.integers(min_value=1, max_value=5_000))
@settings(max_examples=300, deadline=None)
def test_segments_cover_every_position_once_and_sealed_ones_survive_appends(n, added):
    for count in (n, n + added):
        parts = segments.plan_segments(count)
        assert [s.start for s in parts] == ([0] + [s.end for s in parts[:-1]] if parts else [])
        assert (parts[-1].end if parts else 0) == count
    sealed = [s for s in segments.plan_segments(n) if s.level == "sealed"]
    assert sealed == [s for s in segments.plan_segments(n + added) if s.level == "sealed"][:len(sealed)]
    assert len(segments.plan_segments(n)) <= n // segments.LEVELS[0] + len(segments.LEVELS)


@given(st.integers(min_value=0, max_value=200_000), st.lists(st.integers(min_value=1, max_value=120), max_size=12),
       st.integers(min_value=1, max_value=120))
@settings(max_examples=300, deadline=None)
def test_a_new_issue_adds_a_tail_piece_and_keeps_the_pieces_before_it(before, issues, new_issue):
    starts, n = [], before  # (the articles before `before` are one old issue)
    for size in issues:
        starts.append(n)
        n += size
    parts = segments.plan_segments(n, [0, *starts])
    assert [s.start for s in parts] == ([0] + [s.end for s in parts[:-1]] if parts else [])
    assert (parts[-1].end if parts else 0) == n
    pieces = [s for s in parts if s.level == "tail"]
    assert all(p.end - p.start >= segments.TAIL_PIECE for p in pieces[:-1])
    assert all(p.end in starts for p in pieces[:-1])  # cut where an issue starts
    assert len(pieces) <= segments.LEVELS[-1] // segments.TAIL_PIECE + 1
    grown = segments.plan_segments(n + new_issue, [0, *starts, n])
    if [s for s in grown if s.level != "tail"] == [s for s in parts if s.level != "tail"]:  # no 256 crossed
        kept = pieces if pieces and pieces[-1].end - pieces[-1].start >= segments.TAIL_PIECE else pieces[:-1]
        grown_pieces = [s for s in grown if s.level == "tail"]
        assert grown_pieces[:len(kept)] == kept  # their files stay as they are
        tail_start = pieces[0].start if pieces else n
        assert [(s.start, s.end) for s in grown_pieces[len(kept):]] == [(kept[-1].end if kept else tail_start,
                                                                         n + new_issue)]


@pytest.mark.parametrize("words", [["聊城", "乡村振兴", "Running", "runs", "“发展”", "——", "7.8", "COVID-19", "a", "—x—"]])
def test_index_terms_are_what_the_lunr_index_pipeline_makes(words):
    pipeline = make_builder().pipeline
    want = [str(t) for t in pipeline.run(Tokenizer(words))]
    assert [t for t in map(terms.index_term, words) if t] == want


def test_fnv1a_is_the_32_bit_fnv_1a_of_utf8():
    assert terms.fnv1a("") == 0x811C9DC5
    assert terms.fnv1a("a") == 0xE40C292C  # the published test vector
    assert terms.fnv1a("聊") != terms.fnv1a("城")


postings_lists = st.lists(st.tuples(st.integers(0, 40_000), st.integers(1, 300), st.integers(0, 64 ** 4 + 5)),
                          min_size=1, max_size=60)


@given(postings_lists)
@settings(max_examples=300, deadline=None)
def test_postings_text_round_trips_and_escapes_nothing_in_json(rows):
    positions = sorted({p for p, _, _ in rows})
    tfs = [t for _, t, _ in rows][:len(positions)]
    lengths = [n for _, _, n in rows][:len(positions)]
    text = codec.encode_field((positions, tfs, lengths))
    assert codec.decode_field(text) == list(zip(positions, tfs, lengths))
    assert json.dumps(text) == f'"{text}"'


@given(postings_lists, st.integers(0, 3))
@settings(max_examples=300, deadline=None)
def test_dense_postings_take_their_lengths_from_the_segment_table(rows, spare):
    positions = sorted({p for p, _, _ in rows})
    tfs = [t for _, t, _ in rows][:len(positions)]
    table = [(p * 7919) % (64 ** 3 + 9) for p in range(positions[-1] + 1 + spare)]  # every document's length
    lengths = [table[p] for p in positions]
    text = codec.encode_field((positions, tfs, lengths), dense=True)
    assert codec.is_dense(text) and not codec.is_dense(codec.encode_field((positions, tfs, lengths)))
    assert len(text) < len(codec.encode_field((positions, tfs, lengths)))  # no lengths inline
    assert codec.decode_field(text, table) == list(zip(positions, tfs, lengths))
    assert codec.decode_field(text, column=codec.encode_lengths(lengths)) == list(zip(positions, tfs, lengths))
    table_text = codec.encode_lengths(table)
    assert json.dumps(table_text) == f'"{table_text}"'
    assert codec.decode_lengths(table_text, len(table)) == table


def test_dense_postings_without_a_fitting_length_table_are_an_error():
    text = codec.encode_field(([0, 5], [1, 2], [3, 4]), dense=True)
    with pytest.raises(ValueError, match="decoded without their lengths"):
        codec.decode_field(text)
    with pytest.raises(ValueError, match="a length table of 3 digits for 2 documents"):
        codec.decode_field(text, column="AAA")
    with pytest.raises(ValueError, match="past their segment's length table"):
        codec.decode_field(text, [3, 3, 3])
    with pytest.raises(ValueError, match="a length table of 5 digits for 2 documents"):
        codec.decode_lengths("AAAAA", 2)
    with pytest.raises(ValueError, match="not one this code writes"):
        codec.decode_field(codec.DIGITS[codec.DENSE_HEADER + 2] + text[1:])


def test_a_common_terms_field_in_a_quarter_of_a_big_segment_keeps_its_lengths_apart(monkeypatch):
    monkeypatch.setattr(postings, "DENSE_MIN_DOCS", 8)
    monkeypatch.setattr(postings, "OWN_FILE_FROM", 5)
    assert postings.dense_from(7) is None and postings.dense_from(8) == 2 and postings.dense_from(9) == 3
    three = ([0, 3, 5], [1, 1, 2], [4, 9, 6])  # 3 of 9 documents: dense
    two = ([4, 8], [1, 1], [7, 2])  # 2 of 9: lengths inline
    by_term = {"common": [two, three], "dense but rare": [0, three], "common, no dense field": [two, 0, two, two]}
    terms = sorted(by_term)
    split, own, tables = postings.bucket_files(by_term, terms, 1, postings.dense_from(9))
    assert tables == {1}
    assert split[0] == {"common": 0, "common, no dense field": 1, "dense but rare": [0, codec.encode_field(three)]}
    (common, columns), (other, no_columns) = own[0]
    assert [codec.is_dense(t) for t in common] == [False, True] and no_columns is None
    assert columns == [0, codec.encode_lengths(three[2])]
    assert codec.decode_field(common[1], column=columns[1]) == list(zip(*three))
    assert other == [codec.encode_field(x) for x in by_term["common, no dense field"]]
    assert postings.bucket_files(by_term, terms, 1, None)[2] == set()  # a small segment: lengths inline


def test_a_sorted_fields_postings_all_leave_their_lengths_to_its_table(monkeypatch):
    monkeypatch.setattr(postings, "OWN_FILE_FROM", 5)
    three = ([0, 3, 5], [1, 1, 2], [4, 9, 6])
    two = ([4, 8], [1, 1], [7, 2])
    by_term = {"common": [two, three], "rare": [0, two]}
    split, own, tables = postings.bucket_files(by_term, sorted(by_term), 1, None, sorted_field=1)
    assert tables == set()  # the sorted field's table is the caller's: every one of its postings reads it
    assert split[0]["rare"] == [0, codec.encode_field(two, dense=True)]
    (common, columns), = own[0]
    assert [codec.is_dense(t) for t in common] == [False, True] and columns is None  # no length columns


def test_words_in_half_a_tail_pieces_documents_go_to_its_common_file_not_a_bucket(monkeypatch):
    monkeypatch.setattr(postings, "OWN_FILE_FROM", 6)
    everywhere = ([0, 1, 2, 3, 4], [1, 2, 1, 1, 1], [9, 8, 7, 6, 5])
    rare = ([3], [1], [6])
    by_term = {"everywhere": [0, everywhere], "rare": [0, rare], "own": [everywhere, rare]}
    common: dict = {}
    split, own, _ = postings.bucket_files(by_term, sorted(by_term), 1, None, common_from=5, common=common)
    assert common == {"everywhere": [0, codec.encode_field(everywhere)]}
    assert set(split[0]) == {"rare", "own"} and split[0]["own"] == 0  # OWN_FILE_FROM still wins
    assert postings.bucket_files(by_term, sorted(by_term), 1)[0][0]["everywhere"] == common["everywhere"]


def test_a_tail_piece_lists_its_common_words_and_a_query_reads_them_from_one_file(tmp_path):
    from generator.base.cache import Cache
    from generator.base.output import Output
    from types import SimpleNamespace

    words = ["聊城 发展 工作 第{} 篇 独有{}".format(k, k) for k in range(40)]
    articles = [SimpleNamespace(id=f"a{k}") for k in range(40)]
    analyses = {a.id: SimpleNamespace(key=f"k{k}", _load_extra=None, _extra=None,
                                      words={"title": "", "people": "", "heads": "", "body": w})
                for k, (a, w) in enumerate(zip(articles, words))}
    seg = segments.Segment(0, 40, "tail")
    with Output(tmp_path / "site", tmp_path / "cache") as output, Cache(None) as cache:
        files = shards.write_segment(seg, articles, analyses, ["title", "people", "heads", "body"], output, cache)
        output.commit()
    assert files.common == ["发展", "工作", "篇", "聊城"]  # in every document; 第N and 独有N in one each
    common = json.loads((tmp_path / "site" / "search" / shards.common_file(files.name)).read_text(encoding="utf-8"))
    assert sorted(common) == files.common
    assert [p for p, _, _ in codec.decode_field(common["发展"][3])] == list(range(40))
    buckets = [json.loads(f.read_text(encoding="utf-8"))
               for f in (tmp_path / "site" / "search" / "s").glob("*-[0-9]*.json")]
    assert not any(t in b for b in buckets for t in files.common)  # nowhere else


@given(st.lists(st.integers(0, 64 ** 3), max_size=200), st.booleans())
@settings(max_examples=300, deadline=None)
def test_run_length_tables_round_trip_in_any_order(lengths, in_order):
    lengths = sorted(lengths) if in_order else lengths
    text = codec.encode_runs(lengths)
    assert codec.decode_runs(text, len(lengths)) == lengths
    assert json.dumps(text) == f'"{text}"'


def test_a_blocks_lengths_in_order_make_a_table_a_fifth_the_size_of_a_number_each():
    lengths = [300 + (k * 7919) % 600 for k in range(4096)]  # a block of 4,096 bodies of 300-900 terms
    per_document = codec.encode_lengths(lengths)
    assert codec.decode_runs(codec.encode_runs(lengths), 4096) == lengths
    assert len(codec.encode_runs(sorted(lengths))) * 5 < len(per_document)  # 600 runs of ~7
    two_blocks = sorted(lengths) + sorted(lengths[:100])  # the next block starts short again
    assert codec.decode_runs(codec.encode_runs(two_blocks), 4196) == two_blocks


def test_run_length_tables_that_do_not_fit_are_errors():
    text = codec.encode_runs([5, 5, 7])
    with pytest.raises(ValueError, match="a run-length table of 3 lengths for 4 documents"):
        codec.decode_runs(text, 4)
    with pytest.raises(ValueError, match="in the middle of a run"):
        codec.decode_runs(text + "A", 3)
    with pytest.raises(ValueError, match="in the middle of one"):
        codec.decode_runs(text + "g", 3)
    with pytest.raises(ValueError, match="negative length or an empty run"):
        codec.decode_runs(codec._varints([3, 1]), 1)  # down from 0
    with pytest.raises(ValueError, match="negative length or an empty run"):
        codec.decode_runs(codec._varints([4, 0]), 0)


characters = list("聊城a Z_9—“”.,-\t\u3000·!") + ["\u00a0", "İ", "ǅ"]  # spaces, punctuation, odd letters
words_with_punctuation = st.lists(st.text(st.sampled_from(characters), min_size=1, max_size=6), max_size=30)


@given(words_with_punctuation)
@settings(max_examples=400, deadline=None)
def test_field_length_is_the_number_of_terms_the_index_makes(words):
    text = " ".join(words)
    assert terms.field_length(text) == len(terms.field_terms(text))


@given(st.lists(st.text(st.sampled_from(characters + list("的学校2016")), min_size=1, max_size=4), max_size=30),
       st.sampled_from([" ", "  ", "\n"]))
@settings(max_examples=400, deadline=None)
def test_term_counts_count_the_terms_the_index_makes_in_their_order(words, between):
    text = between.join(words)
    from collections import Counter
    assert list(terms.term_counts(text).items()) == list(Counter(terms.field_terms(text)).items())


def test_words_the_counting_shortcut_takes_as_they_are_are_their_own_terms():
    own = [chr(c) for c in range(0x4E00, 0xA000)] + list("0123456789")
    assert all(terms.index_term(c) == c for c in own)
    assert all(terms.OWN_TERMS.fullmatch(c) for c in own)
    assert terms.OWN_TERMS.fullmatch("聊城 2016 的") and terms.OWN_TERMS.fullmatch("")
    for text in ("聊城  的", " 聊城", "聊城 ", "聊城 a", "聊城\n的", "聊城，", "Ａ"):
        assert not terms.OWN_TERMS.fullmatch(text), text


def test_whole_blocks_are_ordered_by_body_length_and_keep_their_order_while_articles_are_appended(monkeypatch):
    from types import SimpleNamespace
    from generator.base.cache import Cache

    monkeypatch.setattr(segments, "LEVELS", (32, 8, 4))
    fields = ["title", "body"]

    def corpus(n):
        articles = [SimpleNamespace(id=f"a{k}") for k in range(n)]
        analyses = {a.id: SimpleNamespace(key=f"key{k}", _load_extra=None, _extra=None,
                                          words={"body": " ".join(["词"] * ((k * 37) % 11)) + " 。"})
                    for k, a in enumerate(articles)}
        return articles, analyses

    def body_length(analyses, article):
        return terms.field_length(analyses[article.id].words["body"])

    articles, analyses = corpus(61)  # a sealed 32, a large 24 (three blocks of 8), a medium 4, a tail of 1
    segs = segments.plan_segments(61)
    assert [(s.level, s.end - s.start) for s in segs] == [("sealed", 32), ("large", 24), ("medium", 4), ("tail", 1)]
    with Cache(None) as cache:
        order = segments.search_order(articles, segs, analyses, fields, cache)
    assert sorted(order) == list(range(61)) and order[56:] == list(range(56, 61))  # the rest: site order
    for start in range(0, 56, 8):  # each block: its own articles, shortest body first, then oldest
        block = order[start:start + 8]
        assert sorted(block) == list(range(start, start + 8))
        assert block == sorted(block, key=lambda p: (body_length(analyses, articles[p]), p))
    assert [body_length(analyses, articles[p]) for p in order[:8]] != [body_length(analyses, a) for a in articles[:8]]

    more, more_analyses = corpus(90)  # 29 more articles: the blocks of 61 keep their order
    with Cache(None) as cache:
        grown = segments.search_order(more, segments.plan_segments(90), more_analyses, fields, cache)
    assert grown[:56] == order[:56]
    assert segments.search_order(articles, segs, analyses, ["title"], Cache(None)) == list(range(61))  # no body field


def test_block_lengths_come_from_the_build_cache_once_known(tmp_path):
    from types import SimpleNamespace
    from generator.base.cache import Cache

    articles = [SimpleNamespace(id=f"a{k}") for k in range(5)]
    analyses = {a.id: SimpleNamespace(key=f"key{k}", _load_extra=None, _extra=None, words={"body": "词 " * k})
                for k, a in enumerate(articles)}
    with Cache(tmp_path / "c.sqlite") as cache:
        assert segments.block_lengths(articles, analyses, cache) == [0, 1, 2, 3, 4]
    without_words = {a.id: SimpleNamespace(key=x.key, _load_extra=None, _extra=None) for a, x in
                     zip(articles, analyses.values())}  # reading their words would fail
    with Cache(tmp_path / "c.sqlite") as cache:
        assert segments.block_lengths(articles, without_words, cache) == [0, 1, 2, 3, 4]


def test_a_segment_of_whole_blocks_counts_only_the_blocks_not_in_the_cache(tmp_path, monkeypatch):
    from types import SimpleNamespace
    from generator.base.cache import Cache

    monkeypatch.setattr(segments, "LEVELS", (32, 8, 4))
    fields = ["title", "body"]
    vocabulary = ["聊城", "教育", "Schools", "2016", "。", "学校", "东昌府区"]

    def analysis(k, edit=""):
        body = " ".join(vocabulary[(k * j) % len(vocabulary)] for j in range(k % 13)) + edit
        return SimpleNamespace(key=f"key{k}{edit}", _load_extra=None, _extra=None,
                               words={"title": vocabulary[k % 7] + " 新闻", "body": body})

    def without_words(x):  # reading its words would fail
        return SimpleNamespace(key=x.key, _load_extra=None, _extra=None)

    members = [analysis(k) for k in range(24)]  # three blocks of 8
    direct = postings.segment_postings(fields, members)
    with Cache(tmp_path / "c.sqlite") as cache:
        assert postings.block_postings(fields, members, cache) == direct  # counted, and kept
    with Cache(tmp_path / "c.sqlite") as cache:
        assert postings.block_postings(fields, [without_words(x) for x in members], cache) == direct
    edited = members[:8] + [analysis(8, " 补记")] + members[9:]  # the second block is counted again
    with Cache(tmp_path / "c.sqlite") as cache:
        made = postings.block_postings(fields, [x if 8 <= k < 16 else without_words(x) for k, x in enumerate(edited)],
                                     cache)
    assert made == postings.segment_postings(fields, edited) != direct
    with Cache(tmp_path / "c.sqlite") as cache:  # a damaged entry is counted again
        key = postings.block_tables_key(fields, members[:8])
        cache.db.execute(f"UPDATE {postings.BLOCK_TABLES} SET data = ? WHERE key = ?", (b"not zlib", key))
        cache.db.commit()
        assert postings.block_postings(fields, members, cache) == direct


def test_postings_text_is_half_the_bytes_of_number_lists():
    positions = list(range(0, 5000, 7))
    tfs = [1 + p % 3 for p in positions]
    lengths = [600 + p % 900 for p in positions]
    as_lists = json.dumps([positions, tfs, lengths], separators=(",", ":"))
    assert len(codec.encode_field((positions, tfs, lengths))) * 2 < len(as_lists)
    assert codec.encode_field(0) == 0


@given(st.integers(0, 70), st.integers(1, 4), st.integers(0, 140), st.data())
@settings(max_examples=200, deadline=None)
def test_facet_chunks_round_trip(n_counties, n_papers, n_topics, data):
    """Any number of counties, papers and topics (columns wider than one digit included)."""
    import datetime as dt
    from types import SimpleNamespace

    counties = [f"c{i}" for i in range(n_counties)]
    papers = [f"p{i}" for i in range(n_papers)]
    topics = [f"t{i}" for i in range(n_topics)]
    article = st.builds(
        lambda county, paper, chosen, year: SimpleNamespace(county=county, paper=paper, topics=chosen,
                                                            date=dt.date(year, 5, 1)),
        st.sampled_from(["", *counties]), st.sampled_from(papers),
        st.lists(st.sampled_from(topics), unique=True, max_size=5) if topics else st.just([]),
        st.integers(1950, 2030))
    articles = data.draw(st.lists(article, min_size=1, max_size=40))
    chunk = codec.facet_chunk(articles, counties, topics, papers)
    assert json.loads(json.dumps(chunk)) == chunk
    assert all(re.fullmatch(r"[A-Za-z0-9_-]*", chunk[name]) for name in ("county", "paper", "year", "topics"))
    assert codec.decode_facet_chunk(chunk, counties, topics, papers) == [
        {"county": a.county, "paper": a.paper, "topics": [t for t in topics if t in a.topics], "year": a.date.year}
        for a in articles]


@given(st.lists(st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31)), min_size=1, max_size=40))
@settings(max_examples=200, deadline=None)
def test_date_chunks_round_trip(dates):
    from types import SimpleNamespace

    chunk = codec.date_chunk([SimpleNamespace(date=d) for d in dates])
    assert json.loads(json.dumps(chunk)) == chunk and re.fullmatch(r"[A-Za-z0-9_-]*", chunk["day"])
    assert chunk["dayFrom"] == min(dates).isoformat() and codec.decode_date_chunk(chunk) == dates


def test_decoding_a_facet_chunk_rejects_columns_that_do_not_fit():
    import datetime as dt
    from types import SimpleNamespace

    articles = [SimpleNamespace(county="c0", paper="p0", topics=["t1"], date=dt.date(2020, 1, 1))] * 3
    chunk = codec.facet_chunk(articles, ["c0"], ["t0", "t1"], ["p0"])
    with pytest.raises(ValueError, match="facet column 'topics'"):
        codec.decode_facet_chunk({**chunk, "topics": chunk["topics"][:-1]}, ["c0"], ["t0", "t1"], ["p0"])
    with pytest.raises(ValueError, match="a topic number past the 1 topics"):
        codec.decode_facet_chunk(chunk, ["c0"], ["t0"], ["p0"])


def test_a_field_too_long_for_the_postings_text_is_an_error():
    with pytest.raises(ValueError, match="longer than the search index can hold"):
        codec.encode_field(([0], [1], [64 ** codec.MAX_LENGTH_DIGITS]))


def search_files(site):
    return {k: v for k, v in tree(site).items() if k.startswith("search/")}


def equals_a_fresh_build(project, tmp_path):
    fresh = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("_site", ".cache", "._site*"))
    build_project(fresh)
    return tree(project / "_site") == tree(fresh / "_site")


def test_incremental_sharded_builds_equal_full_builds_and_keep_sealed_segments(tmp_path, monkeypatch):
    project = sharded_project(tmp_path / "p", monkeypatch)
    build_project(project)
    manifest = json.loads((project / "_site" / "search" / "manifest.json").read_text(encoding="utf-8"))
    assert [s["count"] for s in manifest["segments"]] == [32, 16, 3]
    before = search_files(project / "_site")
    own = [k for k in before if re.fullmatch(r"search/s/\w+-\d+-\d+\.json", k)]
    assert own  # common terms have files of their own, named by number in their bucket file
    bucket = json.loads((project / "_site" / re.sub(r"-\d+\.json$", ".json", own[0])).read_text(encoding="utf-8"))
    assert int(own[0].rsplit("-", 1)[1].removesuffix(".json")) in bucket.values()
    assert [bool(s["lengths"]) for s in manifest["segments"]] == [True, True, False]
    body = [f for f, _ in manifest["fields"]].index("body")
    assert [s.get("sortedBy") for s in manifest["segments"]] == [body, body, None]  # whole blocks: by length
    assert all(body in s["lengths"] for s in manifest["segments"][:2])
    assert all(f"search/l/{s['postings']}-{f}.json" in before for s in manifest["segments"] for f in s["lengths"])
    assert any(k.endswith("-lengths.json") for k in before)  # dense fields of common terms keep lengths apart
    from generator.base.cache import Cache
    with Cache(project / ".cache" / "build.sqlite") as cache:  # what a later build reuses is every file
        known = cache.get_many("search_segments", [s["postings"] for s in manifest["segments"]])
    listed = {p for name, k in known.items() for p in shards.segment_paths(name, k["buckets"], k["own"], k["tables"])}
    assert listed == {k for k in before if k.startswith(("search/s/", "search/l/"))}

    def kept_block_tables():
        with Cache(project / ".cache" / "build.sqlite") as cache:
            return cache.db.execute(f"SELECT count(*) FROM {postings.BLOCK_TABLES}").fetchone()[0]
    assert kept_block_tables() == 3  # the sealed segment's two blocks of 16 and the large segment's one

    add_newer_issue(project)  # 10 newer articles: only the open segments change
    build_project(project)
    after = search_files(project / "_site")
    sealed = manifest["segments"][0]["postings"]
    kept = [k for k in before if k.startswith((f"search/s/{sealed}-", f"search/l/{sealed}-"))]
    assert any(k.startswith("search/l/") for k in kept) and all(after.get(k) == before[k] for k in kept)
    assert equals_a_fresh_build(project, tmp_path)

    counted = tmp_path / "counted"  # documents whose words were counted (by whichever process)
    count_words = postings.field_tables

    def counting(fields, members):
        with counted.open("a") as f:
            f.write(f"{len(members)}\n")
        return count_words(fields, members)

    monkeypatch.setattr(postings, "field_tables", counting)
    old = sorted((project / "content").rglob("*.md"))[0]  # an edit inside the sealed segment
    old.write_text(old.read_text(encoding="utf-8") + "\n编者补记：独一无二的补记词语。\n", encoding="utf-8")
    build_project(project)
    assert counted.read_text().split() == ["16"]  # the sealed segment rebuilt from its edited block's words only
    monkeypatch.setattr(postings, "field_tables", count_words)
    assert equals_a_fresh_build(project, tmp_path)
    assert kept_block_tables() == 3  # the edited block's tables instead of its old ones

    sorted((project / "content").rglob("*.md"))[5].unlink()  # a deletion shifts every later position
    build_project(project)
    assert equals_a_fresh_build(project, tmp_path)


class RowsMade:
    """A list of ids kept in a file, so that a forked process can add to it."""

    def __init__(self, path):
        self.path = path
        self.clear()

    def append(self, item: str) -> None:
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(item + "\n")

    def clear(self) -> None:
        self.path.write_text("", encoding="utf-8")

    def __iter__(self):
        return iter(self.path.read_text(encoding="utf-8").split())


def test_result_rows_are_made_for_new_and_changed_articles_only_and_follow_site_yaml(tmp_path, monkeypatch):
    from generator.search import index as search
    project = sharded_project(tmp_path / "p", monkeypatch)
    build_project(project)
    made = RowsMade(tmp_path / "rows-made")  # (rows are made in a process beside the build's)
    make_row = search.document_row
    monkeypatch.setattr(search, "document_row", lambda a, *rest: made.append(a.id) or make_row(a, *rest))

    before = {p.stem for p in (project / "content").rglob("*.md")}
    add_newer_issue(project)
    build_project(project)
    new = {p.stem for p in (project / "content").rglob("*.md")} - before
    assert len(new) == 10 and sorted(made) == sorted(new)
    assert equals_a_fresh_build(project, tmp_path)

    made.clear()  # a paper's name is shown in every row of that paper (site.yaml's papers are part of
    # every article's source key: all rows are made again)
    text = (project / "site.yaml").read_text(encoding="utf-8")
    (project / "site.yaml").write_text(text.replace("- name: 大众日报\n", "- name: 大众日报聊城版\n", 1), encoding="utf-8")
    build_project(project)
    dzrb = {p.stem for p in (project / "content").rglob("dzrb-*.md")}
    assert dzrb and dzrb <= set(made)
    rows = [json.loads(p.read_text(encoding="utf-8")) for p in (project / "_site" / "search" / "d").glob("*.json")]
    assert sum(row[0][3] == "大众日报聊城版" for row in rows) == len(dzrb)
    assert equals_a_fresh_build(project, tmp_path)


def test_facet_chunks_are_made_for_chunks_whose_articles_changed_only(tmp_path, monkeypatch):
    """A facet chunk holding the same articles as in the previous build, unchanged, is kept without
    being made; one with a new article, or an article whose county changed, is made again. The site
    always equals a fresh build."""
    project = sharded_project(tmp_path / "p", monkeypatch)
    monkeypatch.setattr(shards, "META_PER_CHUNK", 8)
    made = RowsMade(tmp_path / "chunks-made")  # (chunks are made in a process beside the build's)
    make_chunk = codec.facet_chunk
    monkeypatch.setattr(shards, "facet_chunk",
                        lambda part, *rest: made.append(",".join(a.id for a in part)) or make_chunk(part, *rest))
    build_project(project)
    first = list(made)  # every chunk, in order
    assert len(first) == len(list((project / "_site" / "search" / "m").glob("*.json"))) > 3

    made.clear()
    add_newer_issue(project)
    build_project(project)
    chunks = len(list((project / "_site" / "search" / "m").glob("*.json")))
    assert 0 < len(list(made)) < chunks and not set(made) & set(first)  # only chunks of other articles
    assert first[0] not in set(made)  # (the sealed segment's first chunk: kept)
    assert equals_a_fresh_build(project, tmp_path)

    made.clear()  # an article of that kept chunk moves to another county: its chunk is made again
    article = next(p for p in (project / "content").rglob("*.md") if p.stem == first[0].split(",")[0])
    text = article.read_text(encoding="utf-8")
    article.write_text(set_front_matter(text, {"county": "阳谷县" if "临清市" in text else "临清市"}), encoding="utf-8")
    build_project(project)
    assert first[0] in set(made)
    assert equals_a_fresh_build(project, tmp_path)


def test_check_reads_the_files_of_common_terms(tmp_path, monkeypatch):
    from generator.check.checker import check_site
    from sitebuild import BASE_URL

    project = sharded_project(tmp_path / "p", monkeypatch)
    build_project(project)
    site = project / "_site"
    assert check_site(site, BASE_URL) == []
    own = next(p for p in sorted((site / "search" / "s").glob("*.json")) if re.fullmatch(r"\w+-\d+-\d+\.json", p.name))
    fields = json.loads(own.read_text(encoding="utf-8"))
    fields[[bool(f) for f in fields].index(True)] = codec.encode_field(([10_000], [1], [3]))  # past its segment
    own.write_text(json.dumps(fields), encoding="utf-8")
    problems = check_site(site, BASE_URL)
    assert len(problems) == 1 and problems[0].startswith(f"search/s/{own.name}: postings of ")
    # a rare term of the same bucket, listed after the common one, is reported under the bucket file
    bucket_path = own.with_name(re.sub(r"-\d+\.json$", ".json", own.name))
    bucket = json.loads(bucket_path.read_text(encoding="utf-8"))
    bucket["~zz-last"] = [codec.encode_field(([10_000], [1], [3]))] + [0] * 3
    bucket_path.write_text(json.dumps(bucket), encoding="utf-8")
    problems = check_site(site, BASE_URL)
    assert f"search/s/{bucket_path.name}: postings of '~zz-last' point outside their segment" in problems


def test_check_reads_length_tables_and_columns(tmp_path, monkeypatch):
    from generator.check.checker import check_site
    from sitebuild import BASE_URL

    project = sharded_project(tmp_path / "p", monkeypatch)
    build_project(project)
    site = project / "_site"
    assert check_site(site, BASE_URL) == []
    columns = sorted((site / "search" / "s").glob("*-lengths.json"))[0]
    damaged = [x[:-1] if x else x for x in json.loads(columns.read_text(encoding="utf-8"))]
    columns.write_text(json.dumps(damaged), encoding="utf-8")
    postings_name = columns.name.removesuffix("-lengths.json") + ".json"
    problems = check_site(site, BASE_URL)
    assert len(problems) == 1 and problems[0].startswith(f"search/s/{postings_name}: postings of ")
    assert "not readable (a length table of" in problems[0]

    manifest = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))
    seg = manifest["segments"][0]
    table = site / "search" / "l" / f"{seg['postings']}-{seg['lengths'][0]}.json"
    table.write_text(json.dumps(json.loads(table.read_text(encoding="utf-8"))[:-1]), encoding="utf-8")
    problems = check_site(site, BASE_URL)
    assert f"search/l/{table.name}: length table not readable (a length table of 31 digits for 32 documents)" in problems
    assert any(f"not readable (no length table of field {seg['lengths'][0]} was read)" in p for p in problems)
    table.unlink()
    assert f"search/l/{table.name}: missing or not readable (FileNotFoundError)" in check_site(site, BASE_URL)

    large = manifest["segments"][1]  # a sorted field's run-length table
    runs = site / "search" / "l" / f"{large['postings']}-{large['sortedBy']}.json"
    runs.write_text(json.dumps(json.loads(runs.read_text(encoding="utf-8"))[:-2]), encoding="utf-8")
    problems = check_site(site, BASE_URL)
    assert any(p.startswith(f"search/l/{runs.name}: length table not readable (") for p in problems), problems


def test_check_reads_the_common_files_of_tail_pieces(tmp_path, monkeypatch):
    from generator.check.checker import check_site
    from sitebuild import BASE_URL

    project = sharded_project(tmp_path / "p", monkeypatch)
    monkeypatch.setattr(segments, "LEVELS", (64, 32, 16, 8))  # 51 articles: 32, 16, then a tail of 3
    monkeypatch.setattr(shards, "COMMON_MIN", 2)
    build_project(project)
    site = project / "_site"
    assert check_site(site, BASE_URL) == []
    manifest = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))
    piece = next(seg for seg in manifest["segments"] if seg.get("common"))
    path = site / "search" / shards.common_file(piece["postings"])
    common = json.loads(path.read_text(encoding="utf-8"))
    term = piece["common"][0]
    common[term] = [t[:-1] if t else t for t in common[term]]
    del common[piece["common"][-1]]
    path.write_text(json.dumps(common, ensure_ascii=False), encoding="utf-8")
    problems = check_site(site, BASE_URL)
    common_rel = f"search/{shards.common_file(piece['postings'])}"
    assert f"{common_rel}: holds other terms than the manifest lists as common" in problems
    assert any(p.startswith(f"search/{shards.common_file(piece['postings'])}: postings of {term!r} not readable")
               for p in problems), problems


def test_the_browser_code_reads_the_format_the_generator_writes():
    """search-shards.js refuses a manifest of another format (an older theme's copy of it would
    otherwise read new files wrongly): its FORMAT must be the one shards.py writes."""
    code = (ROOT / "themes" / "default" / "static" / "search-shards.js").read_text(encoding="utf-8")
    assert re.search(r'var FORMAT = "([^"]+)";', code).group(1) == "shards-" + codec.SHARDS_FORMAT
    assert "manifest.format !== FORMAT" in code


def test_segments_that_repeat_earlier_texts_share_files_and_the_site_checks(tmp_path, monkeypatch):
    """A reprinted issue (the same raw pages under later dates) makes segments without new words, or
    with the very texts of an earlier segment: their files are named by content, so they share them."""
    import datetime as dt

    import yaml

    from generator.check.checker import check_site
    from sitebuild import BASE_URL

    project = sharded_project(tmp_path / "p", monkeypatch)
    seeds = project / "seeds"
    pages = yaml.safe_load((seeds / "pages.yaml").read_text(encoding="utf-8"))
    for years in (1, 2):
        for name, meta in list(pages.items()):
            if not name.startswith("r"):
                shutil.copy(seeds / name, seeds / f"r{years}_{name}")
                pages[f"r{years}_{name}"] = {**meta, "date": meta["date"] + dt.timedelta(days=3653 * years)}
    (seeds / "pages.yaml").write_text(yaml.safe_dump(pages, allow_unicode=True), encoding="utf-8")
    report = build_project(project)  # was: "two outputs write the same file: search/v/..."
    assert report.articles == 3 * 51
    site = project / "_site"
    described = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))["segments"]
    vocab = [s["vocab"] for s in described]
    assert len(set(vocab)) < len(vocab)
    assert check_site(site, BASE_URL) == []
    assert equals_a_fresh_build(project, tmp_path)

    monkeypatch.setattr(segments, "LEVELS", (51, 16, 4))  # each reprint is a sealed segment of its own
    build_project(project)
    described = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))["segments"]
    assert [s["start"] for s in described] == [0, 51, 102] and len({s["postings"] for s in described}) == 1
    assert check_site(site, BASE_URL) == []
    assert equals_a_fresh_build(project, tmp_path)


def test_small_open_segments_list_their_terms_with_files_of_their_own_and_check_reads_the_list(tmp_path, monkeypatch):
    from generator.check.checker import check_site
    from generator.check.search_files import listed_own_files
    from sitebuild import BASE_URL

    project = sharded_project(tmp_path / "p", monkeypatch)
    monkeypatch.setattr(segments, "LEVELS", (64, 32, 16, 8))  # 51 articles: 32 (large), 16 (medium), 3 (tail)
    build_project(project)
    site = project / "_site"
    assert check_site(site, BASE_URL) == []
    manifest = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))
    large, medium, tail = manifest["segments"]
    assert medium["count"] == 16 and medium["own"] and "own" not in large and "own" not in tail
    for term, b, n in listed_own_files(medium["own"], medium["buckets"]):  # the numbers the browser derives
        bucket = json.loads((site / "search" / shards.postings_file(medium["postings"], b)).read_text(encoding="utf-8"))
        assert bucket[term] == n and (site / "search" / shards.postings_file(medium["postings"], b, n)).is_file()
    medium["own"] = medium["own"][1:]
    (site / "search" / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    assert check_site(site, BASE_URL) == [
        "search/manifest.json: segment at 32 lists other terms with files of their own than its bucket files number"]
