"""Article pages: what their fingerprints are made of, and the context made when one is rendered."""

import dataclasses
import datetime as dt

import pytest

from generator.build import body_renderer
from generator.links.related import CrossLinks
from generator.content.model import Article
from generator.render.pages import PageBuilder
from generator.render.body import BodyRenderer
from generator.content.site import build_model

DAY = dt.date(2016, 8, 2)


def article(n: int, source_key: str | None = None, **fields) -> Article:
    return Article(id=f"lcrb-{n}", title=f"标题{n}", date=DAY, paper="lcrb", page=1, path=f"lcrb-{n}.md",
                   body=f"正文{n}\n", source_key=f"{n:064x}" if source_key is None else source_key, **fields)


def links() -> CrossLinks:
    return CrossLinks(related={"lcrb-1": ["lcrb-2", "lcrb-3"], "lcrb-4": ["lcrb-1"]},
                      later={"lcrb-1": ["lcrb-4", "lcrb-3"]}, same_story={"lcrb-1": ["lcrb-3"], "lcrb-3": ["lcrb-1"]})


def inputs(config, articles, markdown=None, descriptions=None, cross=None) -> dict[str, str]:
    """Article id -> its page's fingerprint inputs."""
    site = build_model(config, articles)
    builder = PageBuilder(site, markdown or body_renderer(config), links=cross or links(),
                          descriptions=descriptions or {})
    return {page.url.split("/")[-2]: page.inputs for page in builder.article_pages()}


def test_an_article_page_is_fingerprinted_by_what_it_shows(site_config):
    config = site_config()
    base = [article(n) for n in range(1, 6)]  # one issue; lcrb-5 shows nothing lcrb-1 links to
    before = inputs(config, base)
    assert len(before) == 5 and len(set(before.values())) == 5

    def changed(articles=base, **kwargs) -> set[str]:
        after = inputs(config, articles, **kwargs)
        return {aid for aid in before if after[aid] != before[aid]}

    edited = [dataclasses.replace(a, source_key="f" * 64) if a.id == "lcrb-2" else a for a in base]
    # lcrb-2 itself, lcrb-1 (related to it) and its neighbours in the issue (prev/next)
    assert changed(edited) == {"lcrb-2", "lcrb-1", "lcrb-3"}
    edited = [dataclasses.replace(a, source_key="f" * 64) if a.id == "lcrb-4" else a for a in base]
    assert changed(edited) == {"lcrb-4", "lcrb-1", "lcrb-3", "lcrb-5"}  # lcrb-1 has it as later coverage
    edited = [dataclasses.replace(a, source_key="f" * 64) if a.id == "lcrb-3" else a for a in base]
    assert changed(edited) == {"lcrb-3", "lcrb-1", "lcrb-2", "lcrb-4"}  # the same story as lcrb-1
    assert changed(descriptions={"lcrb-5": "第一句。"}) == {"lcrb-5"}
    assert changed(cross=dataclasses.replace(links(), related={**links().related, "lcrb-5": ["lcrb-2"]})) == {"lcrb-5"}
    # the body renderer's settings (places, county links) are in every article page's signature
    default = body_renderer(config)
    other = BodyRenderer(default.find_places, default.county_href, signature="other places")
    assert changed(markdown=other) == set(before)


def test_without_a_source_key_the_fields_and_the_body_are_in_the_inputs(site_config):
    config = site_config()
    base = [article(1, source_key=""), article(2, source_key="")]
    before = inputs(config, base, cross=CrossLinks())
    new_body = inputs(config, [dataclasses.replace(base[0], body="另一个正文\n"), base[1]], cross=CrossLinks())
    new_title = inputs(config, [dataclasses.replace(base[0], title="另一个标题"), base[1]], cross=CrossLinks())
    assert new_body["lcrb-1"] != before["lcrb-1"] and new_title["lcrb-1"] != before["lcrb-1"]
    assert new_body["lcrb-2"] == before["lcrb-2"]  # its neighbour shows a summary: not the body
    assert new_title["lcrb-2"] != before["lcrb-2"]


@pytest.mark.parametrize("cross, expected", [
    (links(), {"same_story": ["lcrb-3"], "related": ["lcrb-2"], "later": ["lcrb-4"]}),
    (CrossLinks(related={"lcrb-1": ["lcrb-2", "lcrb-3"]}), {"same_story": [], "related": ["lcrb-2", "lcrb-3"],
                                                             "later": []}),
])
def test_a_rendered_article_page_shows_the_same_story_once(site_config, cross, expected):
    config = site_config()
    site = build_model(config, [article(n) for n in range(1, 5)])
    builder = PageBuilder(site, body_renderer(config), links=cross, descriptions={"lcrb-1": "第一句。"})
    page = next(p for p in builder.article_pages() if p.url.endswith("/lcrb-1/"))
    data = page.data()
    assert {name: [s["id"] for s in data[name]] for name in expected} == expected
    assert data["article"]["description"] == "第一句。"
    assert data["prev"] is None and data["next"]["id"] == "lcrb-2"
    assert "<p>正文1</p>" in str(data["article"]["body_html"].__html__())
