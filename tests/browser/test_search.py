"""Search in a real browser: lunr.js 2.3.9 in Debian's Chromium over the index lunr.py built.

The sample site is served over HTTP under /archive/, as GitHub Pages serves a project site. Every
test runs twice: on one lunr index (what the small sample ships) and on the same index in shards
(what a large archive ships).
"""

import re
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import sync_playwright

from browser import SiteServer, assert_same_ranking, launch_chromium
from generator.search import postings, shards
from generator.analysis.analyze import analyse
from generator.analysis.words import Lexicon, site_vocabulary
from generator.config import load_config
from generator.content.load import load_articles
from generator.search.index import news_stemmer, news_trimmer
from generator.text import plain_text
from sitebuild import build_project, make_project

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from search_names import found as name_found, printed_names  # noqa: E402

HOSTILE = ["title:", "+", "-", "~", "^", "*", ":", "聊城:", "title:聊城", "+聊城 -发展", "聊城~2", "聊城^10",
           "<img src=x onerror=alert(1)>", "\"><script>alert(1)</script>", "\\", "'", "%", "*聊城*",
           "\u0000", "　", "🙂", "a" * 300, "聊城发展" * 500, '"', "“", "」「", '"聊城" "', '"<b>聊城</b>"',
           '"' * 50 + "发展"]


@pytest.fixture(scope="module", params=["single", "sharded"])
def site(tmp_path_factory, request):
    project = make_project(tmp_path_factory.mktemp("search"), search_index=request.param)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(postings, "OWN_FILE_FROM", 12)  # common terms in files of their own, as at scale
        patch.setattr(postings, "DENSE_MIN_DOCS", 8)  # common terms read a length table, as at scale
        patch.setattr(shards, "META_PER_CHUNK", 8)  # facets and dates in many chunks, as at scale
        build_project(project)
    if request.param == "sharded":
        assert list((project / "_site" / "search" / "l").glob("*.json"))
        assert len(list((project / "_site" / "search" / "t").glob("*.json"))) > 1
    config = load_config(project / "site.yaml")
    articles = load_articles(project / "content", config)
    with SiteServer(project / "_site") as server:
        yield project, server, articles


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


class SearchPage:
    def __init__(self, browser, server):
        self.page = browser.new_page()
        self.errors, self.dialogs = [], []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.server = server
        self.open("")

    def open(self, query):
        self.page.goto(f"{self.server.url}search/?q={quote(query)}")
        self.page.wait_for_selector("[data-search-ready]", state="attached")
        self.settled()

    def settled(self):
        """Results are fetched and drawn asynchronously; wait until the latest query is shown."""
        self.page.wait_for_selector("[data-search][data-search-state=done]", state="attached")

    def search(self, query):
        self.page.fill("#q", query)
        self.page.press("#q", "Enter")
        self.settled()
        return self.results()

    def results(self):
        return self.page.eval_on_selector_all("[data-search-results] a", "els => els.map(a => a.getAttribute('href'))")

    def status(self):
        return self.page.text_content("#search-status")


@pytest.fixture
def search_page(browser, site):
    page = SearchPage(browser, site[1])
    yield page
    assert page.errors == [] and page.dialogs == []
    page.page.close()


def url_of(article):
    return f"/archive/{article.date:%Y/%m/%d}/{article.paper}/{article.id}/"


def test_every_article_is_found_first_by_its_exact_title(site, search_page):
    _, _, articles = site
    misses = []
    for a in articles:
        results = search_page.search(a.title)
        if not results or results[0] != url_of(a):
            misses.append((a.title, results[:3]))
    assert misses == []


def distinctive_word(article, articles):
    """A 2-4 character word of the article's body that the fewest other articles contain."""
    import jieba
    texts = [plain_text(b.body) for b in articles]
    words = {w for w in jieba.lcut(plain_text(article.body)) if 2 <= len(w) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", w)}
    return min(sorted(words), key=lambda w: sum(w in t for t in texts))


def test_a_distinctive_body_word_finds_its_article_in_the_first_ten(site, search_page):
    _, _, articles = site
    misses = []
    for a in articles:
        word = distinctive_word(a, articles)
        results = search_page.search(word)
        if url_of(a) not in results[:10]:
            misses.append((a.title, word, results[:10]))
    assert misses == []


def test_names_printed_in_the_articles_find_them(site, search_page):
    """Gazetteer places and names jieba does not know (东元 in 聊城东元公司), by benchmarks/search_names.py's
    rule: the first ten results are the articles that print the name."""
    project, _, articles = site
    names = printed_names(articles, load_config(project / "site.yaml"))
    assert {n.kind for n in names} == {"gazetteer", "unknown to jieba"} and len(names) >= 30
    by_id = {a.id: a for a in articles}
    misses = [(n.text, sorted(n.articles)) for n in names
              if not name_found(n, search_page.search(n.text), lambda i: url_of(by_id[i]))]
    assert misses == []


def test_a_word_ranks_before_the_same_characters_cut_one_by_one(site, search_page):
    """An article that prints the query as a word comes before one where jieba cut it character by
    character (indexed as character pairs)."""
    project, _, articles = site
    as_word, as_pairs = defaultdict(set), defaultdict(set)
    lexicon = Lexicon.of(site_vocabulary(load_config(project / "site.yaml")))  # as the build analysed them
    for a in articles:
        words = analyse(a, lexicon).words
        for w in " ".join(words[f] for f in ("title", "heads", "body")).split():
            as_word[w].add(url_of(a))
        for w in words["pairs"].split():
            as_pairs[w].add(url_of(a))
    both = sorted(w for w in as_pairs if as_word.get(w) and as_pairs[w] - as_word[w] and len(as_word[w]) < 10)
    assert both
    for w in both:
        results = search_page.search(w)
        words_end = max(results.index(u) for u in as_word[w])
        assert all(results.index(u) > words_end for u in as_pairs[w] - as_word[w]), (w, results)


def test_traditional_characters_find_what_simplified_ones_do(site, search_page):
    """Titles, topics and counties typed in traditional characters: the same first ten results."""
    import opencc
    project, _, articles = site
    config = load_config(project / "site.yaml")
    to_traditional = opencc.OpenCC("s2t.json").convert
    queries = [a.title for a in articles] + [t.name for t in config.topics] + [c.name for c in config.counties]
    changed = [(q, to_traditional(q)) for q in queries if to_traditional(q) != q]
    assert len(changed) >= 40
    fetched = []
    search_page.page.on("request", lambda r: fetched.append(r.url))
    search_page.search("乡村振兴")
    assert not any("/simplified/" in u for u in fetched)  # a simplified query never fetches the map
    search_page.search("鄉村振興")
    assert any("/simplified/" in u for u in fetched)
    misses = [(q, t) for q, t in changed if search_page.search(t)[:10] != search_page.search(q)[:10]]
    assert misses == []


def letters(text):
    """What a phrase match compares: letters and digits, NFKC and lower case (search.js's letters)."""
    import unicodedata
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def test_a_phrase_in_quotes_finds_only_articles_printing_its_words_together(site, search_page):
    """Word pairs found in many articles apart and in a few together: the quoted pair lists exactly the
    articles that print it (title and text), whichever quotes, and marks it whole."""
    _, _, articles = site
    printed = {url_of(a): letters(a.title + plain_text(a.body)) for a in articles}
    tried = 0
    for phrase in ("经济发展", "产业发展", "项目建设", "聊城发展"):
        together = sorted(u for u, text in printed.items() if phrase in text)
        apart = search_page.search(f"{phrase[:2]} {phrase[2:]}")
        if not together or len(apart) <= len(together) or len(apart) >= 20:
            continue  # (not a pair this test can tell apart with every result listed)
        tried += 1
        quoted = search_page.search(f'"{phrase}"')
        assert sorted(quoted) == together, phrase
        assert search_page.search(f"“{phrase}”") == quoted and search_page.search(f"「{phrase}」") == quoted
        marks = search_page.page.eval_on_selector_all("[data-search-results] li:first-child .snippet mark",
                                                      "els => els.map(e => e.textContent)")
        assert phrase in marks, (phrase, marks)
    assert tried >= 2
    # words printed in the archive but never in one article: no result, and no error
    assert not any("东元" in text and "时风" in text for text in printed.values())
    assert search_page.search('"东元时风"') == [] and "没有找到" in search_page.status()
    # an unclosed quote, quotes alone, quotes around one word: no error, sensible results
    assert search_page.search('"经济') == search_page.search("经济")
    assert search_page.search('""') == [] and search_page.search("“”") == []
    assert search_page.search('"发展"') == search_page.search("发展")


def offers(search_page):
    return search_page.page.eval_on_selector_all(
        "[data-search-offers] a", "els => els.map(a => [a.textContent, a.getAttribute('href')])")


def test_pinyin_offers_counties_topics_places_and_people(site, search_page):
    from pypinyin import lazy_pinyin
    project, _, articles = site
    config = load_config(project / "site.yaml")
    search_page.search("dongchangfu")
    assert ["东昌府区", "/archive/county/dongchangfu/"] in offers(search_page)
    search_page.search("dcf")
    assert ["东昌府区", "/archive/county/dongchangfu/"] in offers(search_page)
    search_page.search("shen xian")  # 莘 read shen in the county's name, not xin
    assert ["莘县", "/archive/county/shenxian/"] in offers(search_page)
    rural = next(t for t in config.topics if t.name == "乡村振兴")
    search_page.search("xiangcunzhenxing")
    assert offers(search_page) == [["乡村振兴", f"/archive/topic/{rural.slug}/"]]
    search_page.search("liaocheng")
    assert offers(search_page) and all(name.startswith("聊城") for name, _ in offers(search_page))
    person = articles[0].people[0]
    search_page.search("".join(lazy_pinyin(person)))
    link = dict(offers(search_page))[person]
    search_page.page.click(f"[data-search-offers] a[href='{link}']")
    search_page.settled()
    assert url_of(articles[0]) in search_page.results()
    for typed in ("a", "发展", "zzzzqqqq"):  # one letter, Chinese, letters no name reads as: no offers
        search_page.search(typed)
        assert offers(search_page) == [] and search_page.page.is_hidden("[data-search-offers]")


@pytest.mark.parametrize("joined, spaced, reordered", [
    ("聊城发展", "聊城 发展", "发展聊城"),
    ("乡村振兴茌平区", "乡村振兴 茌平区", "茌平区乡村振兴"),
    ("企业服务", "企业 服务", "服务企业"),
    ("东阿县黄河", "东阿县 黄河", "黄河东阿县"),
])
def test_queries_with_and_without_spaces_find_the_same_articles(search_page, joined, spaced, reordered):
    first = search_page.search(joined)
    assert first, joined
    assert search_page.search(spaced) == first
    assert sorted(search_page.search(reordered)) == sorted(first)


def test_hostile_input_never_breaks_the_page(search_page):
    for query in HOSTILE:
        search_page.search(query)
        assert search_page.status(), query
        assert search_page.page.eval_on_selector_all("[data-search-results] img, [data-search-results] script",
                                                      "els => els.length") == 0
    search_page.page.type("#q", "<b>聊城:+~</b>", delay=5)  # typed: results appear as the reader types
    search_page.page.wait_for_timeout(400)
    assert search_page.errors == [] and search_page.dialogs == []


def test_a_query_that_means_nothing_says_no_results(search_page):
    assert search_page.search("：：：") == []
    assert search_page.search("zzzzqqqq") == []
    assert "没有找到" in search_page.status()


def test_results_show_date_paper_and_a_highlighted_snippet(search_page):
    results = search_page.search("乡村振兴")
    assert len(results) >= 3
    first = search_page.page.query_selector("[data-search-results] li")
    assert re.search(r"\d{4}-\d{2}-\d{2} · (聊城日报|大众日报)", first.query_selector(".meta").text_content())
    marks = first.eval_on_selector_all(".snippet mark", "els => els.map(e => e.textContent)")
    assert marks and all(m in ("乡村振兴", "乡村", "振兴") for m in marks)
    assert re.match(r"找到 \d+ 篇", search_page.status())


def test_the_url_carries_the_query_and_the_back_button_works(search_page, site):
    search_page.open("茌平区")
    shared = search_page.results()
    assert shared and "q=%E8%8C%8C" in search_page.page.url
    other = search_page.search("教育")
    assert other != shared and "q=%E6%95%99%E8%82%B2" in search_page.page.url
    search_page.page.go_back()
    search_page.page.wait_for_function("document.querySelector('#q').value === '茌平区'")
    search_page.settled()
    assert search_page.results() == shared


def test_results_appear_while_typing(search_page):
    search_page.page.type("#q", "乡村振兴", delay=20)
    search_page.page.wait_for_function("document.querySelectorAll('[data-search-results] a').length > 0")
    assert "q=" in search_page.page.url


def found(search_page):
    return int(re.match(r"找到 (\d+) 篇", search_page.status()).group(1))


def test_facets_narrow_the_results(search_page, site):
    _, _, articles = site
    search_page.search("发展")
    everything = found(search_page)
    button = search_page.page.query_selector("[data-search-facets] [aria-label='县市区'] button")
    county, count = button.text_content().rsplit(" ", 1)
    button.click()
    search_page.settled()
    narrowed = search_page.results()
    assert 0 < found(search_page) == int(count) < everything
    by_url = {url_of(a): a for a in articles}
    assert narrowed and all(by_url[u].county == county for u in narrowed)
    assert "county=" in search_page.page.url


def listed_dates(search_page):
    return search_page.page.eval_on_selector_all("[data-search-results] .meta",
                                                  "els => els.map(e => e.textContent.slice(0, 10))")


def test_results_can_be_ordered_by_date_and_the_back_button_restores_the_order(search_page):
    by_relevance = search_page.search("乡村振兴")
    total = found(search_page)
    assert 3 <= total <= 20  # (all listed: the orders hold the same results)
    relevance_rank = {url: k for k, url in enumerate(by_relevance)}
    shown = {}
    for order, newest_first in (("new", True), ("old", False)):
        search_page.page.select_option("#sort", order)
        search_page.settled()
        listed, dates = search_page.results(), listed_dates(search_page)
        assert sorted(listed) == sorted(by_relevance) and found(search_page) == total
        assert dates == sorted(dates, reverse=newest_first) and len(set(dates)) > 1
        for a, b, da, db in zip(listed, listed[1:], dates, dates[1:]):
            assert da != db or relevance_rank[a] < relevance_rank[b]  # one day's results keep their rank
        assert f"sort={order}" in search_page.page.url
        shown[order] = listed
    search_page.page.go_back()
    search_page.page.wait_for_function("document.querySelector('#sort').value === 'new'")
    search_page.settled()
    assert search_page.results() == shown["new"]
    search_page.page.go_back()
    search_page.page.wait_for_function("document.querySelector('#sort').value === ''")
    search_page.settled()
    assert search_page.results() == by_relevance


def test_a_range_of_months_keeps_the_results_printed_in_it(search_page, site):
    _, server, _ = site
    search_page.search("发展")
    years = {b.text_content().rsplit(" ", 1)[0]: int(b.text_content().rsplit(" ", 1)[1]) for b in
             search_page.page.query_selector_all("[data-search-facets] [aria-label='年份'] button")}
    assert len(years) >= 2 and "2023" in years
    search_page.page.fill("#from", "2023-01")
    search_page.page.fill("#to", "2023-12")
    search_page.settled()
    assert found(search_page) == years["2023"] and "from=2023-01" in search_page.page.url
    assert all(d.startswith("2023-") for d in listed_dates(search_page))
    in_2023 = search_page.results()
    # the same range in a shared link, given as years alone
    search_page.page.goto(f"{server.url}search/?q={quote('发展')}&from=2023&to=2023")
    search_page.page.wait_for_selector("[data-search-ready]", state="attached")
    search_page.settled()
    assert search_page.results() == in_2023
    assert search_page.page.input_value("#from") == "2023-01" and search_page.page.input_value("#to") == "2023-12"
    # a month range inside a year: 2022-08 holds some of 2022's results, 2022-04 the others
    search_page.page.fill("#from", "2022-08")
    search_page.page.fill("#to", "2022-08")
    search_page.settled()
    assert 0 < found(search_page) < years["2022"]
    assert all(d.startswith("2022-08-") for d in listed_dates(search_page))


@pytest.mark.parametrize("also", ["", "&sort=new", "&from=2023-01&to=2024-12"])
def test_results_are_listed_before_the_facet_data_arrives(browser, site, also):
    """Facet counts need data for every result; the results do not wait for it, ordered by date or in
    a range of months either (sharded index, where facet rows are files of their own)."""
    project, server, _ = site
    page = browser.new_page()
    held, released = [], []
    page.route("**/search/m/*", lambda route: route.continue_() if released else held.append(route))
    page.goto(f"{server.url}search/?q={quote('发展')}{also}")
    if page.evaluate("typeof NewsShardedIndex") == "undefined":
        page.close()
        pytest.skip("this site ships one lunr index: facets come with the documents")
    page.wait_for_selector("[data-search][data-search-state=shown]", state="attached")
    assert page.eval_on_selector_all("[data-search-results] a", "els => els.length") > 0
    assert page.is_hidden("[data-search-facets]") and held
    released.append(True)
    for route in held:
        route.continue_()
    page.wait_for_selector("[data-search][data-search-state=done]", state="attached")
    assert page.is_visible("[data-search-facets] [aria-label='县市区'] button")
    page.close()


def test_more_results_are_listed_on_request(search_page):
    first = search_page.search("聊城")
    total = found(search_page)
    assert len(first) == min(total, 20)
    if total > 20:
        search_page.page.click("button.more-results")
        search_page.settled()
        more = search_page.results()
        assert more[:20] == first and len(more) == min(total, 40)


def test_search_is_keyboard_usable(search_page):
    search_page.page.focus("#q")
    search_page.page.keyboard.type("教育")
    search_page.page.keyboard.press("Enter")
    search_page.page.keyboard.press("Tab")
    focused = search_page.page.evaluate("document.activeElement.tagName")
    assert focused in ("BUTTON", "A")


RANKING_QUERIES = ["聊城 发展", "乡村 振兴", "企业 服务 营商", "茌平", "教育 学生", "黄河 生态", "项目 签约", "医保",
                   "title:乡村", "发展 -企业", "+聊城 +企业", "乡村*", "people:尹腾淑", "聊城~1", "发展^10 企业"]


def browser_rankings(page, queries):
    """Each query's results in the browser, through the engine the page uses: lunr.js over the one
    index, or the sharded index (lunr.js's query parser, token sets and sets, our postings)."""
    return page.evaluate("""async (queries) => {
        const root = document.querySelector('[data-search]');
        let run;
        if (root.dataset.mode === 'sharded') {
            const pipeline = new lunr.Pipeline();
            pipeline.add(lunr.Pipeline.registeredFunctions.newsStemmer);
            const idx = await NewsShardedIndex.load(root.dataset.index, pipeline);
            run = q => idx.query(query => new lunr.QueryParser(q, query).parse());
        } else {
            const idx = lunr.Index.load(await (await fetch(root.dataset.index)).json());
            run = async q => idx.search(q);
        }
        const out = [];
        for (const q of queries) out.push((await run(q)).map(r => [r.ref, r.score]));
        return out;
    }""", queries)


def lunr_py_index(project):
    """lunr.py's own index over the project's articles, built the way a single-index site is."""
    from generator.analysis.analyze import analyse_all
    from generator.base.cache import Cache
    from generator.search.index import build_index
    from generator.content.site import build_model
    config = load_config(project / "site.yaml")
    site = build_model(config, load_articles(project / "content", config))
    analyses, _ = analyse_all(site.articles, Cache(None), Lexicon.of(site_vocabulary(config)))  # as the build cuts
    return build_index(site, analyses)


def test_the_browser_ranks_exactly_as_lunr_py(site, browser):
    from lunr.pipeline import Pipeline
    assert Pipeline.registered_functions["newsStemmer"] is news_stemmer
    assert Pipeline.registered_functions["newsTrimmer"] is news_trimmer
    project, server, _ = site
    index = lunr_py_index(project)
    page = browser.new_page()
    page.goto(f"{server.url}search/")
    page.wait_for_selector("[data-search-ready]", state="attached")
    for query, got in zip(RANKING_QUERIES, browser_rankings(page, RANKING_QUERIES)):
        want = [(r["ref"], r["score"]) for r in index.search(query)]
        assert want, query
        assert_same_ranking(got, want, query)
    page.close()


def test_random_queries_never_raise_in_the_browser(search_page):
    """Hypothesis over the browser's query handling: any text, any syntax characters."""
    from hypothesis import given, settings, strategies as st

    syntax = st.sampled_from(list(":+-~^*\\\"'<>()[]{}　，。") + ["title:", "聊城", "发展", "AND", "*聊", "~2"])

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.lists(st.text(max_size=8) | syntax, max_size=12).map("".join))
    def search_anything(query):
        search_page.search(query)
        assert search_page.status()

    search_page.page.evaluate("document.querySelector('#q').value = ''")
    search_anything()
    assert search_page.errors == [] and search_page.dialogs == []


def test_the_browser_reads_postings_text_as_python_writes_it(site, browser):
    """search-shards.js's decodeField against codec.decode_field, on random postings."""
    import random
    from generator.search import codec
    project, server, _ = site
    page = browser.new_page()
    page.goto(f"{server.url}search/")
    page.wait_for_selector("[data-search-ready]", state="attached")
    if page.evaluate("typeof NewsShardedIndex") == "undefined":
        page.close()
        pytest.skip("this site ships one lunr index")
    rng = random.Random(7)
    cases = []
    for k in range(200):
        positions = sorted(rng.sample(range(5_000), rng.randint(1, 40)))
        tfs = [rng.choice([1, 1, 2, 3, 40, 1000]) for _ in positions]
        table = [rng.choice([0, 5, 63, 64, 700, 4095, 4096, 300_000]) for _ in range(positions[-1] + 1)]
        dense = k % 3 > 0  # two cases in three keep their lengths apart: in the table, or in a column
        lengths = [table[p] for p in positions]
        text = codec.encode_field((positions, tfs, lengths), dense)
        cases.append([text, codec.encode_lengths(table), len(table),
                      codec.encode_lengths(lengths) if k % 3 == 2 else None])
    got = page.evaluate("""(cases) => cases.map(([text, table, count, column]) => {
        const out = [], I = NewsShardedIndex;
        if (column) I.decodeField(text, 10, out, null, I.decodeLengths(column, text ? I.postingsCount(text) : 0));
        else I.decodeField(text, 10, out, I.decodeLengths(table, count));
        return out; })""", cases)
    assert got == [[[p + 10, tf, n] for p, tf, n in codec.decode_field(text, codec.decode_lengths(table, count), column)]
                   for text, table, count, column in cases]
    assert sum(codec.is_dense(text) for text, *_ in cases) == 133
    page.close()
