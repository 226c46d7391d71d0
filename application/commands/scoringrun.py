"""One scoring run over an instance: its validated rules, each municipality's gazetteer, and the
batch over its database. Shared by `adwatch score`, `score --compare`, `opinion` and the privacy
commands, so none of them imports another's command module.
"""

from __future__ import annotations

from adwatch.config.settings import require_secret_key
from adwatch.instance import Instance


def load_instance_rules(instance: Instance):
    """The instance's `indicators.yaml`, validated."""
    from scoring.rules import load_rules

    return load_rules(instance.settings.config_dir / "indicators.yaml")


def run_instance_batch(instance: Instance, ads, prior, keys, *, rules, full: bool):
    """Run the scoring batch with each municipality's own gazetteer."""
    from adwatch.config.scope import ScopeMatcher
    from scoring.batch import run_batch

    scope = ScopeMatcher.from_config_dir(instance.settings.config_dir)
    return run_batch(
        ads,
        prior,
        keys,
        rules=rules,
        places=None,
        secret=require_secret_key(instance.settings),
        full=full,
        places_by_municipality=scope.matchers,
    )


def score_instance(instance: Instance, *, full: bool = False):
    """Run scoring over the instance's database and return its summary."""
    from scoring.persist import ScoreSummary, write_result
    from scoring.stored import load_ads, load_phone_keys, load_prior

    rules = load_instance_rules(instance)
    with instance.db.reading() as session:
        ads = load_ads(session)
        prior = {} if full else load_prior(session, rules.version)
        keys = {} if full else load_phone_keys(session)
    result = run_instance_batch(instance, ads, prior, keys, rules=rules, full=full)
    write_result(instance.db, result, rules.version)
    summary = ScoreSummary(rules.version, ads=len(ads), analysed=result.analysed)
    summary.rescored = len(result.outcomes)
    summary.failures = len(result.failures)
    summary.networks = len(result.networks)
    summary.tiers.update(o.score.tier for o in result.outcomes)
    return summary
