"""`adwatch crawl`: pick the sources, run the crawler, print the summary and the alarms."""

from __future__ import annotations

from rich.console import Console

from adwatch.config.sources import load_sources, pick_sources
from adwatch.instance import Instance


def crawl_sources(
    instance: Instance,
    names: list[str],
    base_url: str | None,
    show_progress: bool,
    worker: bool = False,
) -> list:
    """Crawl the named (or all enabled) sources and report each run (as a worker: its share)."""
    from crawler.run import run_crawl, summary_table, with_base_url

    console = Console(stderr=True)
    chosen = pick_sources(load_sources(instance.settings.sources_dir), names)
    chosen = [with_base_url(source, base_url) for source in chosen]
    if not chosen:
        console.print("no enabled sources in config/sources/")
        return []
    summaries = run_crawl(instance.settings, chosen, show_progress=show_progress, worker=worker)
    Console().print(summary_table(summaries))
    for summary in summaries:
        for alarm in summary.alarms:
            console.print(f"[yellow]alarm[/] {summary.source}: {alarm['kind']}: {alarm['message']}")
    if not worker:
        _seal(instance, console)
    return summaries


def _seal(instance: Instance, console: Console) -> None:
    """Seal the finished runs' WARC files and the chain heads (stamped if an authority is set)."""
    from sqlalchemy.exc import SQLAlchemyError

    from adwatch.errors import AdwatchError
    from adwatch.evidence.sealing import seal_all

    try:
        report = seal_all(instance)
    except (AdwatchError, OSError, SQLAlchemyError) as exc:
        # The crawl is stored; a missed seal is taken by the next run or the nightly job.
        console.print(f"[yellow]alarm[/] seal: {exc}")
        return
    console.print(f"sealed {len(report.warc_files)} WARC file(s) and the chain heads")
