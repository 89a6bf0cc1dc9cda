"""What a stage shows: a line when it finishes (not on a terminal), a moving bar on one, nothing when it fails."""

import io
import re

import pytest

from generator.base.progress import Finished, Progress


def test_a_line_per_finished_stage_with_its_count_and_time():
    out = io.StringIO()
    progress = Progress("build", out, live=False)
    with progress.stage("load", unit="files") as counter:
        for _ in counter.counting(range(1234)):
            pass
    with progress.stage("model"):
        pass
    lines = out.getvalue().splitlines()
    assert re.fullmatch(r"build: load 1,234 files in \d+\.\d\d s", lines[0]), lines
    assert re.fullmatch(r"build: model in \d+\.\d\d s", lines[1]), lines
    assert [(f.name, f.count) for f in progress.finished] == [("load", 1234), ("model", None)]


def test_a_failed_stage_shows_nothing_and_keeps_its_error():
    out = io.StringIO()
    progress = Progress("build", out, live=False)
    with pytest.raises(ValueError):
        with progress.stage("render", 10, unit="pages") as counter:
            counter.advance(3)
            raise ValueError("a template failed")
    assert out.getvalue() == "" and progress.finished == []


def test_a_consumer_that_stops_at_the_last_item_has_counted_it():
    progress = Progress("check", io.StringIO(), live=False)
    with progress.stage("pages", unit="files") as counter:
        for _ in zip("abc", counter.counting(iter("abc"))):
            pass
    assert progress.finished[0].count == 3


def test_stages_of_another_process_are_shown_as_they_are_taken_in():
    out = io.StringIO()
    progress = Progress("build", out, live=False)
    progress.replay([Finished("search", 51, "articles", 0.25), Finished("feeds", None, "", 0.01),
                     Finished("links", 1, "lists", 0.004)])
    assert out.getvalue().splitlines() == ["build: search 51 articles in 0.25 s", "build: feeds in 0.01 s",
                                           "build: links 1 list in 0.00 s"]


def test_on_a_terminal_a_bar_moves_with_count_rate_and_time_left():
    out = io.StringIO()
    progress = Progress("build", out, live=True)
    with progress.stage("render", 200, unit="pages") as counter:
        for _ in counter.counting(range(200)):
            pass
    shown = out.getvalue()
    assert "\r" in shown  # redrawn in place, not a line per update
    last = shown.rstrip("\n").rsplit("\r", 1)[-1]
    assert last.startswith("render: 100%") and "200/200" in last and "pages/s" in last, last
    assert re.search(r"\d\d:\d\d<\d\d:\d\d", last), last  # elapsed < time left


def test_silent_progress_shows_nothing_but_keeps_the_stages():
    progress = Progress.silent()
    with progress.stage("links", unit="lists") as counter:
        counter.advance(5)
    assert progress.finished[0].count == 5 and progress.stream is None
