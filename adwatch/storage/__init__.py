"""Storage: database, models, migrations, the collection store, blobs, WARC files, logs."""
