"""`adwatch opinion train|evaluate|status`, and the second opinion after `adwatch score`.

The second opinion is a learned classifier beside the rules (docs/scoring.md#second-opinion). It
is off unless `second_opinion.enabled` is set in adwatch.yaml, and it never changes a score.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from adwatch import __version__
from adwatch.errors import AdwatchError
from adwatch.instance import Instance
from adwatch.timeutil import utcnow
from application.commands.common import reports_errors
from application.commands.scoringrun import load_instance_rules

console = Console()


class TrainingRefused(AdwatchError):
    """Training or evaluation could not start: no labelled ads, or too few of one kind."""


def _scorer(instance: Instance, rules):
    from adwatch.config.scope import LocationMatcher
    from scoring.pipeline import AdScorer

    return AdScorer(rules, LocationMatcher.from_config_dir(instance.settings.config_dir))


def _corpus(directory: Path, scorer):
    from scoring.second_opinion_eval import folder_examples

    try:
        return folder_examples(directory, scorer)
    except ValueError as exc:
        raise TrainingRefused(f"{directory}: {exc}") from exc


def _decisions(instance: Instance, scorer):
    from scoring.second_opinion_eval import text_examples
    from scoring.second_opinion_store import decision_examples

    with instance.db.reading() as session:
        labelled = decision_examples(session)
    return text_examples([(d.ident, d.text, d.label) for d in labelled], scorer)


def _corpus_files(directory: Path) -> list[dict]:
    return [
        {"file": path.name, "sha256": "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()}
        for path in sorted(directory.glob("*.yaml"))
    ]


def train_instance(instance: Instance, corpus: Path | None, min_precision: float | None):
    """Train on the corpus (and the decisions, when configured), install and record the model."""
    import sklearn

    from scoring.second_opinion import TrainingParams
    from scoring.second_opinion_store import install_model
    from scoring.second_opinion_train import train

    rules = load_instance_rules(instance)
    scorer = _scorer(instance, rules)
    examples = _corpus(corpus, scorer) if corpus else []
    learn = instance.app_config.second_opinion.learn_from_decisions
    decided = _decisions(instance, scorer) if learn else []
    if not examples and not decided:
        raise TrainingRefused("nothing to learn from. Fix: give --corpus DIR.")
    params = TrainingParams(min_precision=min_precision)
    try:
        model, stats = train([*examples, *decided], params)
    except ValueError as exc:
        raise TrainingRefused(str(exc)) from exc
    model.provenance.update(
        trained_at=utcnow().isoformat(),
        software=f"adwatch {__version__}, scikit-learn {sklearn.__version__}",
        rules_version=rules.version,
        corpus_files=_corpus_files(corpus) if corpus else [],
        corpus_ids=sorted(e.ident for e in examples),
        decisions_used=len(decided),
        examples=len(examples) + len(decided),
        worth_reading=sum(e.label for e in [*examples, *decided]),
        params={"c": params.c, "min_df": params.min_df, "max_features": params.max_features},
        threshold=model.threshold,
        thresholds={name: head.threshold for name, head in model.heads.items()},
        **stats,
    )
    sha256 = install_model(instance.db, instance.settings.data_dir, model)
    return model, sha256


def _comparison_table(title: str, figures: dict) -> Table:
    table = Table(title=title)
    for column in ("", "flagged", "right", "wrong", "missed", "precision", "recall"):
        table.add_column(column, justify="right" if column else "left")
    for name, label in (("rules", "rules alone"), ("rules_plus_opinion", "rules + opinion")):
        c = figures[name]
        table.add_row(
            label,
            str(c["tp"] + c["fp"]),
            str(c["tp"]),
            str(c["fp"]),
            str(c["fn"]),
            f"{c['precision']:.3f}",
            f"{c['recall']:.3f}",
        )
    minor = figures["minor_cues"]
    table.caption = (
        f"{figures['ads']} ads, {figures['worth_reading']} worth reading; the opinion asks the "
        f"officer to read {figures['extra_asked']} more ads, {figures['extra_right']} of them "
        f"worth reading. Minor cues: {minor['labelled']} labelled, {minor['rules_below_hoog']} "
        f"left below hoog by the rules, {minor['caught_by_opinion']} of those flagged by the "
        f"opinion ({minor['opinion_flags_below_hoog']} minor flags below hoog, "
        f"{minor['of_which_worth_reading']} of them worth reading)"
    )
    return table


def _authors_table(per_author: dict) -> Table:
    table = Table(title="per author (corpus file)")
    table.caption = "right/wrong/missed; minor cues the rules left below hoog, and caught"
    columns = ("", "ads", "worth", "rules", "+opinion", "extra (right)", "minor", "caught")
    for column in columns:
        table.add_column(column, justify="right" if column else "left")
    for author, f in per_author.items():
        rules, both, minor = f["rules"], f["rules_plus_opinion"], f["minor_cues"]
        table.add_row(
            author,
            str(f["ads"]),
            str(f["worth_reading"]),
            f"{rules['tp']}/{rules['fp']}/{rules['fn']}",
            f"{both['tp']}/{both['fp']}/{both['fn']}",
            f"{f['extra_asked']} ({f['extra_right']})",
            str(minor["rules_below_hoog"]),
            str(minor["caught_by_opinion"]),
        )
    return table


@click.group()
def opinion() -> None:
    """The learned second opinion beside the rules: train it, judge it, see its state."""


@opinion.command("train")
@click.option(
    "--corpus",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of labelled ads (*.yaml) to train on.",
)
@click.option(
    "--min-precision",
    type=click.FloatRange(0.0, 1.0),
    help="Precision its extra flags must reach (default: the rules' own on the training ads).",
)
@reports_errors
def train_command(corpus: Path | None, min_precision: float | None) -> None:
    """Train on a labelled corpus folder (and the officer's decisions, when configured)."""
    instance = Instance.from_environment()
    instance.require_current_schema()
    model, sha256 = train_instance(instance, corpus, min_precision)
    figures = model.provenance["out_of_fold"]
    console.print(_comparison_table("training ads, out of fold", figures))
    click.echo(
        f"model {sha256} recorded: {len(model.vocabulary)} features, threshold "
        f"{model.threshold:.3f}, {model.provenance['examples']} ads "
        f"({model.provenance['decisions_used']} from decisions)"
    )
    targets = {"worth_reading": "target_precision", "minor_cue": "minor_target_precision"}
    for name, head in model.heads.items():
        target = model.provenance[targets[name]]
        if head.threshold >= 1.0:
            click.echo(f"head {name} stays silent: no threshold reached its target {target}")
        else:
            click.echo(f"head {name}: threshold {head.threshold:.3f} (target precision {target})")


class _Folds(click.ParamType):
    """`authors` (leave one corpus file out at a time) or a number of stratified folds."""

    name = "authors|K"

    def convert(self, value, param, ctx):
        if value == "authors" or isinstance(value, int):
            return value
        if str(value).isdigit() and 2 <= int(value) <= 20:
            return int(value)
        self.fail(f"{value!r} is neither 'authors' nor a number from 2 to 20", param, ctx)


@opinion.command("evaluate")
@click.option(
    "--corpus",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of labelled ads (*.yaml, one file per author) to judge on.",
)
@click.option(
    "--cv",
    "folds",
    type=_Folds(),
    help="Cross-validate on this corpus instead of judging the recorded model: 'authors' "
    "leaves one corpus file (author) out at a time, a number K uses K stratified folds.",
)
@click.option(
    "--min-precision",
    type=click.FloatRange(0.0, 1.0),
    help="With --cv: the precision target each fold's training sets (as for `train`).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@reports_errors
def evaluate_command(
    corpus: Path, folds: int | str | None, min_precision: float | None, as_json: bool
) -> None:
    """Compare rules alone with rules + second opinion as "worth reading" and for minor cues,
    on a labelled corpus: overall and per author. Prints figures only, never ad texts or ids."""
    from scoring.second_opinion import TrainingParams
    from scoring.second_opinion_eval import by_group, compare, flags
    from scoring.second_opinion_store import load_current
    from scoring.second_opinion_train import cross_validate

    instance = Instance.from_environment()
    instance.require_current_schema()
    examples = _corpus(corpus, _scorer(instance, load_instance_rules(instance)))
    if folds:
        params = TrainingParams(min_precision=min_precision)
        found, per_author = cross_validate(examples, params, None if folds == "authors" else folds)
        figures = found.as_json()
        how = "one author left out at a time" if folds == "authors" else f"{folds}-fold"
        title, overlap = f"{corpus}: cross-validation, {how}", 0
    else:
        loaded = load_current(instance.db, instance.settings.data_dir)
        if loaded is None:
            raise TrainingRefused("no model recorded. Fix: run `adwatch opinion train` first.")
        model, sha256 = loaded
        threshold = instance.app_config.second_opinion.threshold
        worth, minor = flags(model, [e.text for e in examples], threshold)
        figures = compare(examples, worth, minor).as_json()
        per_author = by_group(examples, worth, minor)
        overlap = len({e.ident for e in examples} & set(model.provenance.get("corpus_ids", [])))
        title = f"{corpus}: model {sha256[:19]}"
    figures["trained_on_these_ads"] = overlap
    figures["per_author"] = per_author
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    console.print(_comparison_table(title, figures))
    if len(per_author) > 1:
        console.print(_authors_table(per_author))
    if overlap:
        click.echo(f"warning: {overlap} of these ads were used for training; not held-out figures")


@opinion.command("status")
@reports_errors
def status_command() -> None:
    """Show the recorded model (hash, when, on what) and how many ads it disagrees on."""
    from sqlalchemy import func, select

    from adwatch.storage.models import SecondOpinion
    from scoring.second_opinion_store import current_record

    instance = Instance.from_environment()
    instance.require_current_schema()
    enabled = instance.app_config.second_opinion.enabled
    with instance.db.reading() as session:
        record = current_record(session)
        stored = session.scalar(select(func.count()).select_from(SecondOpinion))
        disagreeing = session.scalar(
            select(func.count()).select_from(SecondOpinion).where(SecondOpinion.disagrees)
        )
        described = _describe(record) if record else "no model recorded"
    click.echo(f"second opinion: {'on' if enabled else 'off'} (second_opinion.enabled)")
    click.echo(described)
    click.echo(f"stored opinions: {stored}, disagreeing with the rules: {disagreeing}")


def _describe(record) -> str:
    p = record.provenance
    return (
        f"model {record.sha256} trained {p.get('trained_at', '?')} on {p.get('examples', '?')} "
        f"ads ({p.get('decisions_used', 0)} from decisions), thresholds "
        f"{_thresholds(p.get('thresholds') or {'worth_reading': p.get('threshold', '?')})}"
        f"\nfile <data>/{record.path}"
    )


def _thresholds(thresholds: dict) -> str:
    """Each head's threshold, "silent" for 1.0."""
    return ", ".join(
        f"{name} {'silent' if value == 1.0 else value}" for name, value in thresholds.items()
    )


def opinion_after_score(instance: Instance, rules_version: str) -> str:
    """Run the second opinion after scoring when it is on; remove its results when it is off."""
    from scoring.second_opinion_store import clear_opinions, load_current, run_opinions

    settings = instance.app_config.second_opinion
    if not settings.enabled:
        removed = clear_opinions(instance.db)
        return f"second opinion off: {removed} stored opinions removed" if removed else ""
    loaded = load_current(instance.db, instance.settings.data_dir)
    if loaded is None:
        return "second opinion on, but no model recorded: run `adwatch opinion train --corpus DIR`"
    model, sha256 = loaded
    run = run_opinions(
        instance.db,
        model,
        sha256,
        rules_version,
        words=settings.words_shown,
        threshold=settings.threshold,
    )
    return (
        f"second opinion: {run.written} ads read, {run.disagreements} of them "
        "worth reading where the rules said geen or laag"
    )
