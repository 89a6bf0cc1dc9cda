"""Property tests over the whole ingest path and the front matter parser: no crash, no exception
but SiteError reaches the user, and no text is silently lost."""

import re

from hypothesis import HealthCheck, given, settings, strategies as st

from generator.config import load_config
from generator.content.frontmatter import parse_article
from generator.errors import SiteError
from generator.ingest.pipeline import make_assembler, segment_page
from sitebuild import ROOT

CONFIG = load_config(ROOT / "site.yaml")
ASSEMBLER = make_assembler(CONFIG)

# Text shaped like OCR pages: Chinese words, digits, punctuation of both widths, bylines, headings,
# bullets, blank lines and stray spaces. '在' is left out so that no OCR correction rewrites a character.
PIECES = ["聊城", "临清市", "记者", "本报讯", "（记者 王伟）", "通讯员", "产业", "发展", "项目", "。", "，", ",", ".",
          "！", "“", "”", "■", "□", "#", "## ", "7", "8", " ", "　", "\n", "\n\n", "  ", "-", "：", "图为", "扫码",
          "二维码", "摄", "新闻", "日前", "茌平区", "乡村振兴", "1.15亿元", "一", "是", "（", "）"]
page_text = st.lists(st.sampled_from(PIECES) | st.text(alphabet="的了和与中国人民大会堂新区高唐阳谷", max_size=6),
                     max_size=120).map("".join)

HAN = re.compile(r"[\u4e00-\u9fff]")


def han_chars(text: str) -> set[str]:
    return set(HAN.findall(text))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page_text)
def test_segmenting_any_page_never_crashes_and_loses_no_chinese_character(text):
    parts_list, dropped, layout = segment_page(text, ASSEMBLER)
    assert layout in ("before", "after")
    kept = []
    for parts in parts_list:
        kept += [parts.title, parts.kicker, parts.subtitle, parts.column, parts.dateline, *parts.paragraphs,
                 *parts.credits.authors, *parts.credits.correspondents, *parts.credits.photographers]
        assert parts.title  # every article has a title (derived from the text if none was printed)
    kept += [d.text for d in dropped]
    lost = han_chars(text) - han_chars("".join(kept)) - set("记者讯通讯员摄报本")  # credit labels are parsed away
    assert not lost, (text, lost)


front_matter_value = st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none(),
                               st.lists(st.text(max_size=5), max_size=3), st.dates().map(str))
front_matter = st.dictionaries(st.sampled_from(["id", "title", "date", "paper", "county", "topics", "page", "kind",
                                                "auto", "authors", "extra"]), front_matter_value, max_size=8)


@settings(max_examples=500, deadline=None)
@given(front_matter, st.text(max_size=40))
def test_front_matter_parser_gives_an_article_or_a_site_error(values, body):
    import yaml
    text = "---\n" + yaml.safe_dump(values, allow_unicode=True) + "---\n\n" + body
    try:
        article = parse_article(text, "content/x.md", CONFIG)
    except SiteError as err:
        assert all(p.path == "content/x.md" for p in err.problems)
        return
    assert article.title and article.id and CONFIG.paper(article.paper)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_any_text_as_a_content_file_gives_an_article_or_a_site_error(text):
    try:
        parse_article(text, "content/x.md", CONFIG)
    except SiteError:
        pass


# Text with every C0 and C1 control, DEL, line ends of all kinds and ordinary characters.
raw_text = st.text(alphabet=st.sampled_from([chr(c) for c in range(0xa0)] + list("聊城日报本报讯。，")), min_size=1)


@settings(max_examples=300, deadline=None)
@given(raw_text)
def test_a_raw_page_loses_its_control_characters_and_nothing_else(text):
    from generator.ingest.read import decode_raw
    data = text.encode("utf-8")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    try:
        got = decode_raw(data, "page.txt")
    except SiteError as err:
        assert not data.strip() or b"\0" in data or controls > max(8, len(text) // 100), err
        return
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    assert got == "".join(ch for ch in lines if ch in "\n\t" or not (ord(ch) < 32 or 0x7f <= ord(ch) < 0xa0))
    assert controls <= max(8, len(text) // 100)
