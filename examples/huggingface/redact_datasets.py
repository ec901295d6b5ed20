"""Redact a Hugging Face `datasets.Dataset` with `Dataset.map(batched=True)`.

    python examples/huggingface/redact_datasets.py IN.parquet OUT.parquet --key-file scrim.key \
        [--num-proc 2]

The dataset is built from a local Parquet file (nothing is downloaded; a dataset from the Hub
works the same once loaded) and put in Arrow format, so each batch reaches `redact_arrow` as a
`pyarrow.Table` without conversion to Python objects. With `--num-proc N`, `datasets` pickles
the function with its `scrim.Redactor` to N worker processes (the same key gives the same
pseudonyms in each).
"""

import argparse
import sys

import datasets
import pyarrow as pa
import scrim


def plain(batch: pa.RecordBatch) -> pa.Table:
    """The output as a table, the `scrim` column (JSON text, Arrow's `arrow.json` extension
    type) as plain strings, which `datasets` features can describe."""
    i = batch.schema.get_field_index("scrim")
    column = batch.column(i)
    if isinstance(column, pa.ExtensionArray):
        batch = batch.set_column(i, "scrim", column.storage)
    return pa.Table.from_batches([batch])


def redact_with(redactor):
    def redact(batch: pa.Table) -> pa.Table:
        return plain(redactor.redact_arrow(batch))

    return redact


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--key-file", required=True, help="the pseudonym key (as for scrim redact)")
    p.add_argument("--num-proc", type=int, default=None)
    p.add_argument("--batch-size", type=int, default=1000)
    a = p.parse_args(argv)

    key = open(a.key_file, "rb").read().strip()
    redactor = scrim.Redactor(key=key, threads=1 if a.num_proc else None)
    ds = datasets.Dataset.from_parquet(a.input)
    out = ds.with_format("arrow").map(
        redact_with(redactor),
        batched=True,
        batch_size=a.batch_size,
        num_proc=a.num_proc,
        # Every input column comes back (redacted) with `scrim` and `quarantine`.
        remove_columns=ds.column_names,
    )
    out.with_format(None).to_parquet(a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
