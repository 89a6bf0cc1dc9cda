"""Permalinks: article URLs from site.yaml's pattern, and two things claiming one URL."""

import dataclasses
import datetime as dt

import pytest

from generator.errors import SiteError
from generator.content.model import Article
from generator.content.urls import ArticleUrls, UrlRegistry


def article(id_: str, date: dt.date, paper: str = "lcrb") -> Article:
    return Article(id=id_, title="标题", date=date, paper=paper, path=f"{id_}.md")


def config_with(site_config, pattern: str):
    config = site_config()
    return dataclasses.replace(config, permalinks=dataclasses.replace(config.permalinks, article=pattern))


@pytest.mark.parametrize("pattern, expected", [
    ("{year}/{month}/{day}/{paper}/{id}/", ["2016/08/02/lcrb/lcrb-1/", "2016/08/02/dzrb/dzrb-1/",
                                             "2016/08/02/lcrb/lcrb-2/", "2023/12/31/lcrb/lcrb-3/"]),
    ("a/{id}/", ["a/lcrb-1/", "a/dzrb-1/", "a/lcrb-2/", "a/lcrb-3/"]),
    ("{paper}/{year}-{id}/{id}/", ["lcrb/2016-lcrb-1/lcrb-1/", "dzrb/2016-dzrb-1/dzrb-1/",
                                   "lcrb/2016-lcrb-2/lcrb-2/", "lcrb/2023-lcrb-3/lcrb-3/"]),
    ("{year}/{paper}/", ["2016/lcrb/", "2016/dzrb/", "2016/lcrb/", "2023/lcrb/"]),
])
def test_article_urls_fill_each_field_of_the_pattern(site_config, pattern, expected):
    urls = ArticleUrls(config_with(site_config, pattern))
    day = dt.date(2016, 8, 2)
    articles = [article("lcrb-1", day), article("dzrb-1", day, "dzrb"), article("lcrb-2", day),
                article("lcrb-3", dt.date(2023, 12, 31))]
    assert [urls(a) for a in articles] == expected
    assert [urls(a) for a in articles] == expected  # filled once per date and paper, then reused


def test_two_articles_on_one_url_are_both_named():
    registry = UrlRegistry()
    a, b = article("lcrb-1", dt.date(2016, 8, 2)), article("lcrb-2", dt.date(2016, 8, 2))
    assert registry.claim("2016/", a) == "2016/"
    assert registry.claim("2016/", a) == "2016/"  # the same owner again
    with pytest.raises(SiteError) as err:
        registry.claim("2016/index.html", b)
    assert str(err.value).endswith("article lcrb-2 (lcrb-2.md) and article lcrb-1 (lcrb-1.md) both map to "
                                   "/2016/index.html")


def test_an_issue_and_an_article_on_one_url_are_both_named():
    registry = UrlRegistry()
    registry.claim("2016/08/02/lcrb/", "issue lcrb 2016-08-02")
    with pytest.raises(SiteError, match=r"article lcrb-1 \(lcrb-1.md\) and issue lcrb 2016-08-02 both map"):
        registry.claim("2016/08/02/lcrb/", article("lcrb-1", dt.date(2016, 8, 2)))
