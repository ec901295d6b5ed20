"""Redact a Parquet table with Spark (local mode here; the same job runs on a cluster).

    python examples/spark/redact_spark.py IN.parquet OUT_DIR --key-file scrim.key \
        [--store postgres://... --purpose training --master-key-file master.key] [--master local[2]]

Each executor gets the `scrim.Redactor` (and the `scrim.Store`) by pickling: `mapInArrow` ships
the function with them, and each Python worker rebuilds them from their policy text, key and
tiers (the store from its URL and keyring). Every batch of Arrow rows is admitted for the purpose
against the store (one consent query per batch: an opted-out subject's rows never reach the
output), redacted on Scrim's threads, given its lineage columns, and written as Parquet. Without
`--store`, every row is redacted (as `scrim redact IN -o OUT` does, quarantined rows kept with
their reason). Register the output with `scrim datasets register OUT_DIR --purpose P` so that
`scrim forget` and `scrim compact` reach it.
"""

import argparse
import os
import sys

import pyarrow as pa
import scrim
from pyspark.sql import SparkSession
from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema


def plain(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The `scrim` column (JSON text, Arrow's canonical `arrow.json` extension type) as plain
    strings: Spark's Arrow bridge does not read extension types."""
    i = batch.schema.get_field_index("scrim")
    column = batch.column(i)
    if isinstance(column, pa.ExtensionArray):
        batch = batch.set_column(i, "scrim", column.storage)
    return batch


def redact_batches(redactor, store=None, purpose=None):
    """The function each Spark task runs over its partition's Arrow batches."""

    def run(batches):
        for batch in batches:
            if store is None:
                yield plain(redactor.redact_arrow(batch))
                continue
            admitted = store.admit(batch, purpose=purpose)
            yield plain(admitted.with_lineage(redactor.redact_arrow(admitted.rows)))

    return run


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--key-file", required=True, help="the pseudonym key (as for scrim redact)")
    p.add_argument("--store", help="the governance store (postgres://... shared by every executor)")
    p.add_argument("--purpose", default="training")
    p.add_argument("--master-key-file", help="the store's master keyring (for lineage ids)")
    p.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    p.add_argument("--partitions", type=int, default=2)
    a = p.parse_args(argv)

    key = open(a.key_file, "rb").read().strip()
    # One Scrim thread per task: Spark runs one task per core already.
    redactor = scrim.Redactor(key=key, threads=1)
    store = scrim.Store(a.store, master_key_file=a.master_key_file) if a.store else None

    # Local mode: the workers run this interpreter (where scrim is installed). On a cluster,
    # set PYSPARK_PYTHON to the executors' Python with scrim installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(a.master)
        .appName("scrim-redact")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(a.partitions))
    )
    if a.master.startswith("local"):
        # Local mode needs no network: bind to loopback, whatever the host name resolves to.
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    spark = builder.getOrCreate()
    try:
        df = spark.read.parquet(a.input).repartition(a.partitions)
        # The output's schema, from Scrim itself: an empty batch of the input's schema through
        # the same steps.
        empty = pa.RecordBatch.from_pylist([], schema=to_arrow_schema(df.schema))
        sample = next(redact_batches(redactor, store, a.purpose)(iter([empty])))
        out = df.mapInArrow(redact_batches(redactor, store, a.purpose), from_arrow_schema(sample.schema))
        out.write.mode("overwrite").parquet(a.output)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
