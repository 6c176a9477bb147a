"""One module per source; each registers itself with `connectors.source.register`.

`connectors.source.source_for` imports every module here on first use, so a
new source (S3, IMAP...) is one new file in this folder and nothing else.
"""
