"""Headline stacks and the lines around them on pages without heading marks, written for this test."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from generator.analysis.classify import PlaceIndex
from generator.config import Paper, load_config
from generator.ingest.manifest import PageMeta
from generator.ingest.pipeline import make_assembler, page_articles

ROOT = Path(__file__).resolve().parents[3]
PAPER = Paper(name="晨报", slug="cb", short="晨报", cues=[])


@pytest.fixture(scope="module")
def ingest():
    config = load_config(ROOT / "site.yaml")
    config = replace(config, papers=[*config.papers, PAPER])
    assembler, places = make_assembler(config), PlaceIndex(config)

    def run(text: str):
        meta = PageMeta(PAPER.slug, dt.date(2025, 3, 5), 2)
        return page_articles(text, "20250305-02.txt", meta, config, assembler, places).articles
    return run


def test_a_dash_inside_a_column_tag_does_not_split_the_title(ingest):
    page = """坚持生态优先 走好绿色发展路（在新思想指引下——新时代新作为）
——江西落实全会精神纪实

本报南昌3月4日电（记者 林晓舟）春日的赣江两岸，新栽的树苗连成一片。近年来，江西把生态优先写进发展规划，沿江的化工企业陆续搬进园区，腾出的岸线种上了树。

全省森林覆盖率稳定在六成以上，山区群众吃上了“生态饭”，不少村子办起了民宿和农家乐，游客一年比一年多。

“过去守着青山没饭吃，现在青山就是饭碗。”一位村支书说，村里的年轻人回来了，有的开网店卖山货，有的当起了导游。

下一步，江西将继续推进流域综合治理，让更多的绿水青山变成群众手里的“金山银山”。
"""
    [a] = ingest(page)
    assert (a.kicker, a.title, a.subtitle) == (
        "", "坚持生态优先 走好绿色发展路（在新思想指引下——新时代新作为）", "——江西落实全会精神纪实")


def test_a_kicker_run_into_its_title_is_split_at_its_dash(ingest):
    page = """全国人大代表陈明远——为山区孩子多修几所学校

本报北京3月4日电（记者 韩雪）“山里的孩子上学路远，我想再为他们多跑几趟。”来自西部山区的陈明远代表说，这是他第五次带着乡村教育的建议上会。

今年他带来的建议，仍是关于乡村学校的：寄宿制学校的宿舍、食堂和校车，一样都不能少。

会前，他又回到家乡的几所学校，同校长和老师们一一座谈，把大家的意见记了满满一本，又请教育部门的同志帮着算了账。

“建议写得实，落实才有底。”陈明远说，他会一直盯着这件事，直到山里的孩子都能在家门口上好学。
"""
    [a] = ingest(page)
    assert (a.kicker, a.title) == ("全国人大代表陈明远", "为山区孩子多修几所学校")
