"""Scoring: explainable exploitation signals and linked networks, as pure functions on plain values.

Order per run: `pipeline.AdScorer.analyse` (extraction + per-ad indicators) per ad version,
`linking.link_ads` over all ads, `networks.networks` over the link edges, `score.score_ad` per ad.
Nothing here touches the database but `stored` (reads), `persist` (writes) and `hitsreport`;
`application.commands.scoring` wires it. See docs/scoring.md.
"""
