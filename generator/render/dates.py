"""The date pages: the date archive (a page per year with a calendar of its issues) and 那年今日 (a
page per day of the year with that day's articles of every year, newest year first).

Must stay true: no page depends on the day of the build (the home page's script picks today's day
page in the reader's browser), and a day's page is fingerprinted by its articles, so a new issue
rewrites only its own day's page.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Callable, Iterator

from generator.content.model import Article
from generator.content.site import Issue, SiteModel
from generator.content.urls import archive_url, on_this_day_url
from generator.render.page import Page


def archive_pages(site: SiteModel, year_counts: list[dict], issue_ref: Callable[[Issue], dict]) -> Iterator[Page]:
    yield Page(archive_url(), "archive.html", "archive", {
        "title": "日期档案", "years": year_counts,
        "breadcrumbs": [{"name": "首页", "url": ""}],
    })
    by_day: dict[dt.date, list[Issue]] = {}
    for issue in site.issues:
        by_day.setdefault(issue.date, []).append(issue)
    for year in site.years:
        months = sorted({d.month for d in by_day if d.year == year})
        yield Page(archive_url(year), "archive_year.html", "archive", {
            "title": f"{year}年",
            "year": year,
            "months": [month_calendar(year, m, by_day, issue_ref) for m in months],
            "breadcrumbs": [{"name": "首页", "url": ""}, {"name": "日期档案", "url": archive_url()}],
        })


def month_calendar(year: int, month: int, by_day: dict[dt.date, list[Issue]],
                   issue_ref: Callable[[Issue], dict]) -> dict:
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([
            {"day": d.day, "issues": [issue_ref(i) for i in by_day.get(d, [])]}
            if d.month == month else None
            for d in week
        ])
    count = sum(len(i.articles) for d, items in by_day.items() if (d.year, d.month) == (year, month) for i in items)
    return {"month": month, "name": f"{month}月", "weeks": weeks, "count": count}


def on_this_day_pages(articles: list[Article], signature: str, refs: dict[str, str],
                      summary: Callable[[Article], dict]) -> Iterator[Page]:
    """A page for each day of the year (29 February too); `articles` oldest first, `refs` what stands
    for each article in a fingerprint, `summary` what a listing shows of one."""
    by_day: dict[tuple[int, int], list[Article]] = {}
    for a in articles:
        by_day.setdefault((a.date.month, a.date.day), []).append(a)
    days = [dt.date(2000, 1, 1) + dt.timedelta(n) for n in range(366)]  # (2000: a leap year)
    for i, day in enumerate(days):
        url = on_this_day_url(day.month, day.day)
        items = by_day.get((day.month, day.day), [])[::-1]
        before, after = days[i - 1], days[(i + 1) % len(days)]
        yield Page(url, "on_this_day.html", "on-this-day", None,
                   inputs=(signature, url, [refs[a.id] for a in items]),
                   make=lambda day=day, items=items, before=before, after=after: on_this_day_context(
                       day, [summary(a) for a in items], before, after))


def on_this_day_context(day: dt.date, items: list[dict], before: dt.date, after: dt.date) -> dict:
    years: list[dict] = []
    for item in items:  # newest first
        year = int(item["date"][:4])
        if not years or years[-1]["year"] != year:
            years.append({"year": year, "articles": []})
        years[-1]["articles"].append(item)
    return {
        "title": f"那年今日 · {day.month}月{day.day}日", "day": f"{day.month}月{day.day}日", "years": years,
        "count": len(items),
        "before": {"name": f"{before.month}月{before.day}日", "url": on_this_day_url(before.month, before.day)},
        "after": {"name": f"{after.month}月{after.day}日", "url": on_this_day_url(after.month, after.day)},
        "breadcrumbs": [{"name": "首页", "url": ""}, {"name": "日期档案", "url": archive_url()}],
    }
