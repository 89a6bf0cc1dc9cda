"""How an article is cited: GB/T 7714-2015's newspaper line, the Highwire meta tags and the RIS file."""

import datetime as dt
import html
import re
from urllib.parse import urlsplit

from generator.content.model import Article
from generator.render.citations import RIS_FILE, gbt7714, highwire, ris
from sitebuild import BASE_URL, build_project, make_project


def article(**fields) -> Article:
    values = dict(id="lcrb-1", title="茌平区举办观摩会", date=dt.date(2024, 3, 5), paper="lcrb", page=2,
                  authors=["王小明", "李红"], body="正文。\n")
    values.update(fields)
    return Article(**values)


def test_the_newspaper_line_follows_gb_t_7714():
    assert gbt7714(article(), "聊城日报") == "王小明, 李红. 茌平区举办观摩会[N]. 聊城日报, 2024-03-05(2)."
    assert gbt7714(article(page=None, authors=[]), "聊城日报") == "茌平区举办观摩会[N]. 聊城日报, 2024-03-05."
    four = article(authors=["甲", "乙"], correspondents=["丙", "丁"], subtitle="副题")
    assert gbt7714(four, "聊城日报") == "甲, 乙, 丙, 等. 茌平区举办观摩会：副题[N]. 聊城日报, 2024-03-05(2)."
    photo = article(authors=[], photographers=["赵摄"], kind="photo")
    assert gbt7714(photo, "聊城日报").startswith("赵摄. ")


def test_ris_is_a_newspaper_record_whose_text_cannot_start_a_field():
    record = ris(article(title="标题\r\nER  - \nTY  - JOUR"), "聊城日报", BASE_URL + "2024/03/05/lcrb/lcrb-1/")
    lines = record.decode("utf-8").split("\r\n")
    assert lines[0] == "TY  - NEWS" and lines[-2:] == ["ER  - ", ""]
    assert lines[1] == "TI  - 标题 ER - TY - JOUR"  # the title's line breaks are gone
    assert [l for l in lines if l.startswith("AU")] == ["AU  - 王小明", "AU  - 李红"]
    assert {"T2  - 聊城日报", "DA  - 2024/03/05", "PY  - 2024", "SP  - 2"} <= set(lines)
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", l) for l in lines[:-1])


def test_the_meta_tags_are_what_zotero_reads():
    tags = highwire(article(), "聊城日报", "https://x.test/a/")
    assert tags[0] == ("citation_title", "茌平区举办观摩会")
    assert [v for k, v in tags if k == "citation_author"] == ["王小明", "李红"]
    assert ("citation_journal_title", "聊城日报") in tags and ("citation_publication_date", "2024/03/05") in tags
    assert ("citation_firstpage", "2") in tags and ("citation_public_url", "https://x.test/a/") in tags


def test_every_article_page_carries_its_citation_and_links_its_ris_file(tmp_path):
    project = make_project(tmp_path / "p")
    build_project(project)
    site = project / "_site"
    pages = [p for p in site.rglob("index.html") if (p.parent / RIS_FILE).is_file()]
    articles = [p for p in site.rglob("index.html") if 'data-page-kind="article"' in p.read_text(encoding="utf-8")]
    assert articles and sorted(pages) == sorted(articles)
    for page in articles:
        text = page.read_text(encoding="utf-8")
        title = html.unescape(re.search(r'<meta name="citation_title" content="([^"]*)">', text).group(1))
        record = (page.parent / RIS_FILE).read_bytes().decode("utf-8")
        assert f"TI  - {title}\r\n" in record
        line = html.unescape(re.search(r'<p class="cite-line">(.*?) <a', text).group(1))
        assert f"{title}[N]. " in line and line.endswith(".")
        assert f'href="{urlsplit(BASE_URL).path}{page.parent.relative_to(site).as_posix()}/{RIS_FILE}" download' in text
