"""Redact a Parquet table with Ray Data (a local cluster here; the same job runs on any cluster).

    python examples/ray/redact_ray.py IN.parquet OUT_DIR --key-file scrim.key [--actors 2] \
        [--store postgres://... --purpose training --master-key-file master.key]

`map_batches` runs a callable class on a pool of actors: each actor builds its `scrim.Redactor`
(and `scrim.Store`) once, in its constructor, and then redacts the Arrow batches it is given on
Scrim's own threads (the same key gives the same pseudonyms in every actor). With `--store`,
each batch is first admitted for the purpose (one consent query per batch; opted-out subjects'
rows never reach the output) and given its lineage columns, so that `scrim datasets register
OUT_DIR --purpose P` makes the output reachable by `scrim forget` and `scrim compact`.
"""

import argparse
import sys

import pyarrow as pa
import ray
import scrim


class Redact:
    """The callable class each actor runs."""

    def __init__(self, key, store=None, master_key_file=None, purpose="training"):
        self.redactor = scrim.Redactor(key=key, threads=1)
        self.store = scrim.Store(store, master_key_file=master_key_file) if store else None
        self.purpose = purpose

    def __call__(self, batch: pa.Table) -> pa.Table:
        if self.store is None:
            out = self.redactor.redact_arrow(batch)
        else:
            admitted = self.store.admit(batch, purpose=self.purpose)
            out = admitted.with_lineage(self.redactor.redact_arrow(admitted.rows))
        return pa.Table.from_batches([out])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--key-file", required=True, help="the pseudonym key (as for scrim redact)")
    p.add_argument("--store", help="the governance store (postgres://... shared by every actor)")
    p.add_argument("--purpose", default="training")
    p.add_argument("--master-key-file", help="the store's master keyring (for lineage ids)")
    p.add_argument("--actors", type=int, default=2, help="actors in the pool (default 2)")
    p.add_argument("--batch-size", type=int, default=1024)
    a = p.parse_args(argv)

    key = open(a.key_file, "rb").read().strip()
    # One CPU per actor, and one for the tasks that read and write the files.
    ray.init(num_cpus=a.actors + 1, include_dashboard=False, log_to_driver=False)
    try:
        ds = ray.data.read_parquet(a.input, override_num_blocks=a.actors)
        out = ds.map_batches(
            Redact,
            fn_constructor_kwargs={
                "key": key,
                "store": a.store,
                "master_key_file": a.master_key_file,
                "purpose": a.purpose,
            },
            batch_format="pyarrow",
            batch_size=a.batch_size,
            compute=ray.data.ActorPoolStrategy(size=a.actors),
            num_cpus=1,
        )
        out.write_parquet(a.output)
    finally:
        ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
