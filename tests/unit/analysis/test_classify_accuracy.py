"""The classifier against an editor's labels for every sample article (tests/expected/labels.yaml)."""


import yaml

from generator.analysis.classify import PlaceIndex, classify_article
from generator.config import load_config
from generator.content.load import load_articles
from sitebuild import EXPECTED_LABELS, ROOT, sample_article_files

LABELS = yaml.safe_load(EXPECTED_LABELS.read_text(encoding="utf-8"))


def scores():
    config = load_config(ROOT / "site.yaml")
    places = PlaceIndex(config)
    articles = load_articles(ROOT / "content", config, only=sample_article_files())
    assert {a.id for a in articles} == set(LABELS)
    county_right = topic_right = 0
    misses = []
    for a in articles:
        got = classify_article(config, places, a)
        want = LABELS[a.id]
        county_ok = got["county"] == want["county"]
        topic_ok = bool(set(got["topics"]) & set(want["topics"])) if want["topics"] else not got["topics"]
        county_right += county_ok
        topic_right += topic_ok
        if not (county_ok and topic_ok):
            misses.append((a.id, got, want))
    return county_right / len(articles), topic_right / len(articles), misses


def test_classifier_agrees_with_the_editor_on_nine_articles_in_ten():
    county, topic, misses = scores()
    print(f"county accuracy {county:.1%}, at least one right topic {topic:.1%}")
    for miss in misses:
        print("  ", *miss)
    assert county >= 0.9 and topic >= 0.9, misses


if __name__ == "__main__":
    county, topic, misses = scores()
    print(f"county accuracy {county:.1%}; at least one right topic {topic:.1%}")
    for miss in misses:
        print("  ", *miss)
