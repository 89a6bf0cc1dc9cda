"""County and topic assignment, and the `classify` command that keeps editors' values."""

import datetime as dt

import pytest

from generator.analysis.classify import PlaceIndex, assign_county, assign_topics, classify_content
from generator.cli import main
from generator.config import load_config
from generator.content.frontmatter import format_article, parse_article
from generator.content.load import load_articles
from generator.content.model import Article
from sitebuild import ROOT


@pytest.fixture(scope="module")
def config():
    return load_config(ROOT / "site.yaml")


@pytest.fixture(scope="module")
def places(config):
    return PlaceIndex(config)


def county(config, places, body, title="工作推进会召开", dateline=""):
    return assign_county(config, places, dateline, title, body)


def test_a_town_in_the_gazetteer_gives_its_county(config, places):
    body = ("连日来，刘垓子镇组织农技人员深入田间地头。刘垓子镇种植大户王某说，今年的收成不错。"
            "目前，刘垓子镇已建成高标准农田两万亩。")
    assert county(config, places, body) == "临清市"


def test_an_ocr_misread_alias_counts_as_the_county(config, places):
    assert county(config, places, "全市都在行动。", dateline="在平区") == "茌平区"
    body = "日前，在平区举办高素质农民观摩会。在平区农业农村局有关负责人介绍，全区共培训农民三千人。"
    assert county(config, places, body) == "茌平区"


def test_the_dateline_decides(config, places):
    body = "全市各县市区都在行动。阳谷、莘县、冠县也开展了相关工作。"
    assert county(config, places, body, dateline="临清") == "临清市"
    assert county(config, places, body, dateline="高新区") == "聊城高新区"


def test_a_city_wide_story_has_no_county(config, places):
    body = ("我市召开全市工作会议。会议指出，临清市、阳谷县、莘县、冠县、东阿县要加快推进项目建设，"
            "高唐县、茌平区要抓好落实。全市上下要形成合力。")
    assert county(config, places, body) == ""


def test_a_development_zone_is_a_place(config, places):
    body = "近日，许营镇组织志愿者开展义诊活动。许营镇卫生院医生为群众测量血压。许营镇还将持续开展此类活动。"
    assert county(config, places, body) == "聊城高新区"


def test_topics_follow_the_weight_of_keywords_and_stay_empty_below_the_threshold(config):
    school = ("新学期开学，全市各学校做好准备。教育部门要求，学生到校前完成健康监测，教师提前返岗。"
              "各小学校园整洁一新，学生们陆续返校。教育局负责人表示，将持续提升教育质量。")
    assert assign_topics(config, "学校开学准备就绪", school)[0] == "教育"
    assert assign_topics(config, "天气晴", "今天天气晴朗，气温适宜，市民外出散步。" * 5) == []


def test_at_most_max_topics(config):
    mixed = "产业 招商 乡村振兴 医疗 学校 文化 生态 党建 金融 安全 民生 科技 " * 10
    assert 1 <= len(assign_topics(config, "综合", mixed)) <= config.classify.max_topics


def write_article(content, config, **values):
    article = Article(id="lcrb-20240101-p01-01", title="刘垓子镇大棚蔬菜喜获丰收", date=dt.date(2024, 1, 1),
                      paper="lcrb", page=1, body=("刘垓子镇的大棚蔬菜喜获丰收。刘垓子镇种植户说，今年蔬菜价格好。"
                                                  "刘垓子镇合作社带动农民增收，农产品销往京津。\n"), **values)
    path = content / "2024" / "01" / "01" / f"{article.id}.md"
    path.parent.mkdir(parents=True)
    path.write_text(format_article(article), encoding="utf-8")
    return path


def test_classify_updates_automatic_values(tmp_path, config):
    path = write_article(tmp_path, config, county="冠县", topics=["教育"], auto={"county": "冠县", "topics": ["教育"]})
    report = classify_content(config, tmp_path)
    article = parse_article(path.read_text(encoding="utf-8"), "a.md", config)
    assert article.county == "临清市" and "乡村振兴" in article.topics
    assert article.auto == {"county": "临清市", "topics": article.topics}
    assert report[-1] == "classified 1 articles; changed 1 files"


def test_an_editors_value_survives_classify(tmp_path, config):
    # The classifier once said 冠县 and 教育; an editor then changed the county to 东昌府区.
    path = write_article(tmp_path, config, county="东昌府区", topics=["教育"],
                         auto={"county": "冠县", "topics": ["教育"]})
    original = path.read_text(encoding="utf-8").replace("county: 东昌府区", "county: 东昌府区  # checked by the desk")
    path.write_text(original, encoding="utf-8")
    classify_content(config, tmp_path)
    text = path.read_text(encoding="utf-8")
    article = parse_article(text, "a.md", config)
    assert article.county == "东昌府区"
    assert "county: 东昌府区  # checked by the desk" in text  # the editor's line is untouched
    assert "county" not in article.auto  # no longer automatic, so the next run keeps it too
    assert "乡村振兴" in article.topics  # the automatic key was still updated
    classify_content(config, tmp_path)
    assert path.read_text(encoding="utf-8") == text  # classify is idempotent


def test_a_value_set_by_hand_without_auto_is_never_touched(tmp_path, config):
    path = write_article(tmp_path, config, county="冠县", topics=["教育"])
    before = path.read_text(encoding="utf-8")
    classify_content(config, tmp_path)
    assert path.read_text(encoding="utf-8") == before


def test_classify_command_dry_run_writes_nothing(tmp_path, config, capsys, monkeypatch):
    path = write_article(tmp_path / "content", config, county="冠县", auto={"county": "冠县"})
    before = path.read_text(encoding="utf-8")
    monkeypatch.chdir(ROOT)
    assert main(["classify", "--content", str(tmp_path / "content"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "county 冠县 → 临清市" in out and "would change 1 files" in out
    assert path.read_text(encoding="utf-8") == before
    assert [a.county for a in load_articles(tmp_path / "content", config)] == ["冠县"]


def test_when_an_editor_owns_every_value_the_file_says_so_and_keeps_them(tmp_path, config):
    # The classifier said 冠县 and 教育; an editor made the story city-wide and chose another topic.
    path = write_article(tmp_path, config, county="", topics=["民生"], auto={"county": "冠县", "topics": ["教育"]})
    classify_content(config, tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "auto: {}" in text  # nothing is automatic any more; an empty county stays empty
    article = parse_article(text, "a.md", config)
    assert (article.county, article.topics, article.auto) == ("", ["民生"], {})
    classify_content(config, tmp_path)
    assert path.read_text(encoding="utf-8") == text
