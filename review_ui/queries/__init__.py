"""The reads of the queue, ad, network and system pages: one module per page.

`summaries` builds the one-line ad summaries every list shows; `queue` the review queue;
`adpage` the ad page and its images; `network` the network page; `history` the decisions, notes
and evidence packs both of those pages show; `access` which municipalities a viewer may see, and
the accounts; `health` the system page. The pages use the newest rules version's scores and hits,
so an old version's scores (kept for comparison) never mix in.
"""
