"""The editor's review list: the decisions ingest was least sure of, in one file, named by the build."""

import re

import pytest
from markdown_it import MarkdownIt

from generator.build import build
from generator.cli import main
from generator.config import load_config
from generator.ingest.pipeline import REVIEW_NAME, ingest_paths, write_review
from generator.ingest.assemble import complete_title
from sitebuild import make_project

VERTICAL = "003_b4e0627ec94ce713.txt"  # the sample page with a title printed a character a line


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "p")


def review_lines(project):
    return [line for line in (project / REVIEW_NAME).read_text(encoding="utf-8").splitlines() if line.startswith("- ")]


def test_ingest_lists_its_doubts_most_doubtful_first(project):
    config = load_config(project / "site.yaml")
    result = ingest_paths(config, [project / "seeds"], content_dir=project / "content")
    write_review(config, result, project / "content")
    lines = review_lines(project)
    assert len(lines) == len(result.doubts) >= 1
    scores = [float(line.split()[1]) for line in lines]
    assert scores == sorted(scores, reverse=True)
    completed = [line for line in lines if "title completed from the text" in line]
    assert len(completed) == 1 and "“村舞”解锁乡村振兴" in completed[0] and "舞解锁乡村振" in completed[0]
    for line in lines:  # each names a content file that exists
        path = re.search(r"`([^`]+)`", line).group(1)
        assert (project / path).is_file(), path


def test_a_run_that_ingests_nothing_keeps_the_last_list(project):
    config = load_config(project / "site.yaml")
    result = ingest_paths(config, [project / "seeds"], content_dir=project / "content")
    write_review(config, result, project / "content")
    before = (project / REVIEW_NAME).read_text(encoding="utf-8")
    nothing = ingest_paths(config, [project / "seeds"], content_dir=project / "content", skip_sources={
        p.name for p in (project / "seeds").glob("*.txt")})
    assert write_review(config, nothing, project / "content") is None
    assert (project / REVIEW_NAME).read_text(encoding="utf-8") == before


def test_build_summary_names_the_list_and_its_count(project):
    config = load_config(project / "site.yaml")
    report = build(config)
    assert report.review is not None
    assert report.review[1] == len(review_lines(project)) >= 1
    assert f"{report.review[1]} ingest decisions to check in " in report.summary()
    assert report.summary().rstrip().endswith(REVIEW_NAME)


def test_ingest_command_prints_the_count(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    assert main(["ingest", "seeds"]) == 0
    out = capsys.readouterr().out
    assert re.search(rf"^\d+ decisions to check in .*{REVIEW_NAME}$", out, flags=re.M)


def test_review_text_from_the_page_is_escaped(project):
    config = load_config(project / "site.yaml")
    page = project / "seeds" / "hostile.txt"
    page.write_text("# <script>alert(1)</script>[x](javascript:1)\n\n本报讯 短。\n", encoding="utf-8")
    (project / "seeds" / "pages.yaml").write_text("hostile.txt: {paper: lcrb, date: 2024-01-02}\n", encoding="utf-8")
    result = ingest_paths(config, [page], content_dir=project / "content")
    write_review(config, result, project / "content")
    html = MarkdownIt().render((project / REVIEW_NAME).read_text(encoding="utf-8"))
    assert "<script" not in html and "<a " not in html and "&lt;script&gt;" in html


def test_title_completion_restores_only_what_the_text_repeats():
    import jieba
    cut = lambda t: jieba.lcut(t, HMM=False)  # noqa: E731
    body = "“村舞”就是乡村的舞蹈。本次“村舞”活动为乡村振兴注入新的活力。"
    assert complete_title("舞解锁乡村振", body, cut) == "“村舞”解锁乡村振兴"
    assert complete_title("丰收节", body, cut) == "丰收节"  # nothing in the text to restore it from


UNANCHORED = """城市书房延长开放时间

为方便市民夜间阅读，市图书馆下属的十二家城市书房从本月起将开放时间延长到晚上十点。

据了解，城市书房实行免费开放，市民凭身份证即可借阅图书，每人每次最多可借五册。

图书馆工作人员说，延长开放时间后，前来自习的学生和上班族明显多了起来。

老旧小区加装电梯提速

今年我市计划为一百个老旧小区加装电梯，目前已有三十部电梯完工并投入使用。

加装电梯由居民自愿申请，政府按每部二十万元给予补贴，其余费用由业主分摊。

住在六楼的刘阿姨说，以前下一趟楼要歇好几回，现在坐电梯几分钟就到了。
"""


class _Chosen:
    """A stand-in for the headline model: set probabilities for the blocks of a page, in order."""

    def __init__(self, values: list[float]):
        self.values = values

    def probabilities(self, features):
        assert len(features) == len(self.values)
        return self.values


def _unanchored(model=None):
    import datetime as dt

    from generator.ingest.pipeline import make_assembler, page_articles
    from generator.ingest.manifest import PageMeta
    from sitebuild import ROOT
    config = load_config(ROOT / "site.yaml")
    assembler = make_assembler(config)
    if model is not None:
        assembler.headline_model = model
    return page_articles(UNANCHORED, "x.txt", PageMeta("lcrb", dt.date(2024, 1, 2), 1), config, assembler)


def test_a_split_with_no_byline_or_dateline_is_found():
    assert [a.title for a in _unanchored().articles] == ["城市书房延长开放时间", "老旧小区加装电梯提速"]


@pytest.mark.parametrize("p, listed", [(0.6, True), (0.74, True), (0.76, False), (0.95, False)])
def test_a_split_with_no_byline_or_dateline_is_listed_where_the_model_is_unsure_of_it(p, listed):
    # the page's blocks: a headline and three paragraphs, twice; the second headline is the split
    result = _unanchored(_Chosen([1.0, 0, 0, 0, p, 0, 0, 0]))
    assert [a.title for a in result.articles] == ["城市书房延长开放时间", "老旧小区加装电梯提速"]
    assert [(d.title, d.reason) for d in result.doubts] == [
        ("老旧小区加装电梯提速", "split from the story above with no byline, dateline or heading mark")] * listed


def test_a_story_continued_on_another_page_is_listed_at_both_ends():
    # the page a story goes on to, and the rest of one from another page, with no title of its own:
    # the rest is titled by its first words, not by the note of where it came from
    import datetime as dt
    from generator.ingest.manifest import PageMeta
    from generator.ingest.pipeline import page_articles
    from sitebuild import ROOT
    page = """（上接第1版）茶馆开了四十多年，桌椅换过几回，墙上的老照片一直挂着。老板说，来的大多是熟客，谁爱喝什么茶，他心里都有数。

前些年镇上修路，茶馆差点搬走，是老茶客们一起出面，才把这间老屋留了下来。

铁路春运服务更贴心

本报讯（记者 韩雪）今年春运，铁路部门在各大车站增开了临时售票窗口，方便不会网上购票的老人，还准备了热水。

车站的志愿者也比往年多了一倍，在进站口和候车室为旅客指路、答疑，帮助老人和带孩子的旅客进站上车。（下转第3版）
"""
    config = load_config(ROOT / "site.yaml")
    result = page_articles(page, "x.txt", PageMeta("lcrb", dt.date(2024, 1, 2), 2), config)
    rest, story = result.articles
    assert rest.title == "茶馆开了四十多年，桌椅换过几回，墙上的老照片一直挂着" and rest.body.startswith("（上接第1版）")
    assert story.title == "铁路春运服务更贴心" and not story.truncated
    reasons = {(d.title, d.reason) for d in result.doubts}
    assert (rest.title, "the rest of a story from page 1: join it to its start there") in reasons
    assert (story.title, "goes on on page 3: its rest is an article there") in reasons
