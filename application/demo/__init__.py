"""A synthetic sex-work ad platform served on 127.0.0.1, for `adwatch demo` and the crawler tests.

Everything is generated from a seed: invented names, tame texts, placeholder phone numbers in the
block 06 1234 xxxx and abstract images. `content` builds the ads (and their ground-truth labels),
`images` draws the photos, `templates` renders the HTML and `server` serves it with aiohttp.
"""
